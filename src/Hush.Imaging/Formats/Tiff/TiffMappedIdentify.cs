using System.IO.MemoryMappedFiles;

namespace Hush.Imaging.Formats.Tiff;

/// <summary>
/// Describes a TIFF file through a read-only memory map, so only the pages holding its header and IFDs are read:
/// a multi-gigabyte stack (even one over the 2 GB a decode can hold) costs a few kilobytes to describe.
/// </summary>
internal static class TiffMappedIdentify
{
    public static unsafe ImageStackInfo Identify(string path, long length, DecoderLimits limits)
    {
        using var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = mapped.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        byte* pointer = null;
        handle.AcquirePointer(ref pointer);
        try
        {
            byte* start = pointer + view.PointerOffset;
            byte[] header = new ReadOnlySpan<byte>(start, (int)Math.Min(length, 16)).ToArray();
            bool bigEndian = header.Length >= 2 && header[0] == (byte)'M';
            var reader = new TiffByteReader(start, length, bigEndian);
            return new TiffDecoderCore(limits).Identify(header, reader);
        }
        finally
        {
            handle.ReleasePointer();
        }
    }
}
