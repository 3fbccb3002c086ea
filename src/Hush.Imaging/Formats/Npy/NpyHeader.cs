namespace Hush.Imaging.Formats.Npy;

/// <summary>The three keys of an NPY header dictionary, with the dtype already resolved.</summary>
internal sealed record NpyHeader(SampleType SampleType, bool BigEndian, bool FortranOrder, long[] Shape, string Descr);
