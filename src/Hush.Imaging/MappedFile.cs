using System.IO.MemoryMappedFiles;

namespace Hush.Imaging;

/// <summary>A file's bytes through a read-only memory map: the pages a reader touches are read, nothing is copied into
/// the managed heap, so describing a large file costs no memory of its size.</summary>
internal static unsafe class MappedFile
{
    /// <summary>Reads from a span of a file's bytes.</summary>
    public delegate T Reader<out T>(ReadOnlySpan<byte> bytes);

    /// <summary>Reads from the mapped bytes at <paramref name="start"/> (valid during the call only).</summary>
    public delegate T PointerReader<out T>(byte* start, long length);

    /// <summary>Runs <paramref name="read"/> over the whole file (at most <see cref="int.MaxValue"/> bytes).</summary>
    public static T Read<T>(string path, long length, Reader<T> read)
    {
        if (length > int.MaxValue) ThrowHelper.ThrowFormat($"file of {length} bytes is too large for this format");
        return Read(path, length, (start, size) => read(new ReadOnlySpan<byte>(start, (int)size)));
    }

    /// <summary>Runs <paramref name="read"/> over the first <paramref name="length"/> bytes of the file, any size.</summary>
    public static T Read<T>(string path, long length, PointerReader<T> read)
    {
        using var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = mapped.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        byte* pointer = null;
        handle.AcquirePointer(ref pointer);
        try
        {
            return read(pointer + view.PointerOffset, length);
        }
        finally
        {
            handle.ReleasePointer();
        }
    }
}
