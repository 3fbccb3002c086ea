namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Describes a TIFF file through a read-only memory map (<see cref="MappedFile"/>), so only the pages holding its header
/// and IFDs are read: a multi-gigabyte stack (even one over the 2 GB a decode can hold) costs a few kilobytes to describe.
/// </summary>
internal static class TiffMappedIdentify
{
    public static unsafe ImageStackInfo Identify(string path, long length, DecoderLimits limits) =>
        MappedFile.Read(path, length, (start, size) =>
        {
            byte[] header = new ReadOnlySpan<byte>(start, (int)Math.Min(size, 16)).ToArray();
            bool bigEndian = header.Length >= 2 && header[0] == (byte)'M';
            return new TiffDecoderCore(limits).Identify(header, new TiffByteReader(start, size, bigEndian));
        });
}
