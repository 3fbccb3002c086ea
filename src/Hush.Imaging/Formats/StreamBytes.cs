namespace Hush.Imaging.Formats;

/// <summary>Reads a whole stream into memory, turning I/O failures into <see cref="ImageFormatException"/>.</summary>
internal static class StreamBytes
{
    public static byte[] ReadAll(Stream stream, string format)
    {
        try
        {
            if (stream is MemoryStream memory && memory.TryGetBuffer(out var segment))
                return segment.AsSpan((int)memory.Position).ToArray();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (IOException e)
        {
            throw ThrowHelper.Format($"could not read {format} data ({e.Message})", e);
        }
    }
}
