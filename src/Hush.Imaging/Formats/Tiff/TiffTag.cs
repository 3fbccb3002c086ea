namespace Hush.Imaging.Formats.Tiff;

/// <summary>The TIFF 6.0 tag numbers this codec reads or writes.</summary>
internal static class TiffTag
{
    public const int NewSubfileType = 254;
    public const int SubfileType = 255;
    public const int ImageWidth = 256;
    public const int ImageLength = 257;
    public const int BitsPerSample = 258;
    public const int Compression = 259;
    public const int Photometric = 262;
    public const int FillOrder = 266;
    public const int ImageDescription = 270;
    public const int StripOffsets = 273;
    public const int SamplesPerPixel = 277;
    public const int RowsPerStrip = 278;
    public const int StripByteCounts = 279;
    public const int XResolution = 282;
    public const int YResolution = 283;
    public const int PlanarConfiguration = 284;
    public const int ResolutionUnit = 296;
    public const int Software = 305;
    public const int Predictor = 317;
    public const int TileWidth = 322;
    public const int TileLength = 323;
    public const int TileOffsets = 324;
    public const int TileByteCounts = 325;
    public const int ExtraSamples = 338;
    public const int SampleFormat = 339;
}

/// <summary>TIFF field types (TIFF 6.0 section 2, plus the BigTIFF 8-byte types).</summary>
internal static class TiffFieldType
{
    public const int Byte = 1;
    public const int Ascii = 2;
    public const int Short = 3;
    public const int Long = 4;
    public const int Rational = 5;
    public const int SByte = 6;
    public const int Undefined = 7;
    public const int SShort = 8;
    public const int SLong = 9;
    public const int SRational = 10;
    public const int Float = 11;
    public const int Double = 12;
    public const int Ifd = 13;
    public const int Long8 = 16;
    public const int SLong8 = 17;
    public const int Ifd8 = 18;

    /// <summary>Bytes per value, or 0 for a type this reader does not know (such entries are skipped, as the spec asks).</summary>
    public static int Size(int type) => type switch
    {
        Byte or Ascii or SByte or Undefined => 1,
        Short or SShort => 2,
        Long or SLong or Float or Ifd => 4,
        Rational or SRational or Double or Long8 or SLong8 or Ifd8 => 8,
        _ => 0,
    };
}

/// <summary>TIFF compression codes and readable names for messages.</summary>
internal static class TiffCompressionCode
{
    public const int None = 1;
    public const int Lzw = 5;
    public const int AdobeDeflate = 8;
    public const int PackBits = 32773;
    public const int Deflate = 32946;

    public static string Name(int code) => code switch
    {
        None => "NONE (1)",
        2 => "CCITT RLE (2)",
        3 => "CCITT G3 (3)",
        4 => "CCITT G4 (4)",
        Lzw => "LZW (5)",
        6 => "old-style JPEG (6)",
        7 => "JPEG (7)",
        AdobeDeflate => "ADOBE_DEFLATE (8)",
        PackBits => "PACKBITS (32773)",
        Deflate => "DEFLATE (32946)",
        34925 => "LZMA (34925)",
        50000 => "ZSTD (50000)",
        50001 => "WEBP (50001)",
        _ => $"{code}",
    };
}
