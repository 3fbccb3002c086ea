using System.Globalization;
using System.Text;

namespace Hush.Imaging.Formats.Npy;

/// <summary>
/// Parses the header text of an NPY file: a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (23, 37), }</c>.
/// Only the literal forms numpy writes are accepted (strings, True/False, tuples of integers; a list
/// value marks a structured dtype). Nothing is ever evaluated, so a hostile header cannot run code.
/// </summary>
internal ref struct NpyHeaderParser
{
    private readonly string text;
    private int position;

    private NpyHeaderParser(string text)
    {
        this.text = text;
        position = 0;
    }

    public static NpyHeader Parse(string text)
    {
        var parser = new NpyHeaderParser(text);
        var entries = parser.ParseDict();
        if (!entries.TryGetValue("descr", out object? descr))
            ThrowHelper.ThrowFormat("NPY header has no 'descr' key");
        if (!entries.TryGetValue("fortran_order", out object? fortran))
            ThrowHelper.ThrowFormat("NPY header has no 'fortran_order' key");
        if (!entries.TryGetValue("shape", out object? shape))
            ThrowHelper.ThrowFormat("NPY header has no 'shape' key");
        if (entries.Count != 3)
            ThrowHelper.ThrowFormat($"NPY header has unexpected keys ({string.Join(", ", entries.Keys)})");

        if (descr is List<object>)
            ThrowHelper.ThrowFormat("unsupported NPY dtype: structured (record) arrays are not images");
        if (descr is not string descrText)
            throw ThrowHelper.Format("NPY header 'descr' is not a string");
        if (fortran is not bool fortranOrder)
            throw ThrowHelper.Format("NPY header 'fortran_order' is not True or False");
        if (shape is not long[] dims)
            throw ThrowHelper.Format("NPY header 'shape' is not a tuple of integers");

        var (type, bigEndian) = ParseDescr(descrText);
        return new NpyHeader(type, bigEndian, fortranOrder, dims, descrText);
    }

    /// <summary>Maps a numpy type string ('&lt;u2', '|b1', '&gt;f8', ...) to a sample type and byte order.</summary>
    private static (SampleType Type, bool BigEndian) ParseDescr(string descr)
    {
        if (descr.Length < 2)
            throw ThrowHelper.Format($"unsupported NPY dtype '{descr}'");
        char order = descr[0];
        string code = descr[1..];
        if (order is not ('<' or '>' or '|' or '='))
        {
            order = '=';
            code = descr;
        }
        SampleType? type = code switch
        {
            "b1" or "?" => SampleType.Bool,
            "u1" or "B" => SampleType.UInt8,
            "u2" or "H" => SampleType.UInt16,
            "i2" or "h" => SampleType.Int16,
            "u4" or "I" => SampleType.UInt32,
            "i4" or "i" => SampleType.Int32,
            "f4" or "f" => SampleType.Float32,
            "f8" or "d" => SampleType.Float64,
            _ => null,
        };
        if (type is null)
        {
            string kind = code.Length > 0 ? code[0] switch
            {
                'c' => " (complex numbers are not images)",
                'O' => " (Python objects; never unpickled)",
                'V' => " (raw bytes or a structured type)",
                'U' or 'S' or 'a' => " (strings)",
                'M' or 'm' => " (dates)",
                _ => "",
            } : "";
            throw ThrowHelper.Format($"unsupported NPY dtype '{descr}'{kind}");
        }
        // '=' is the writer's native order; every platform numpy writes NPY on in practice is little-endian.
        return (type.Value, order == '>' && type.Value.ByteSize() > 1);
    }

    private Dictionary<string, object> ParseDict()
    {
        var entries = new Dictionary<string, object>(StringComparer.Ordinal);
        Expect('{');
        while (true)
        {
            SkipSpace();
            if (TryConsume('}'))
                break;
            string key = ParseString();
            Expect(':');
            object value = ParseValue();
            if (!entries.TryAdd(key, value))
                ThrowHelper.ThrowFormat($"NPY header repeats the key '{key}'");
            SkipSpace();
            if (TryConsume('}'))
                break;
            Expect(',');
        }
        SkipSpace();
        if (position != text.Length)
            ThrowHelper.ThrowFormat("NPY header has text after the closing '}'");
        return entries;
    }

    private object ParseValue()
    {
        SkipSpace();
        if (position >= text.Length)
            ThrowHelper.ThrowFormat("NPY header ends inside a value");
        char c = text[position];
        if (c is '\'' or '"')
            return ParseString();
        if (c == '(')
            return ParseShape();
        if (c == '[')
            return ParseList();
        if (Matches("True"))
            return true;
        if (Matches("False"))
            return false;
        throw ThrowHelper.Format($"NPY header has an unexpected value at character {position}");
    }

    private long[] ParseShape()
    {
        Expect('(');
        var dims = new List<long>();
        while (true)
        {
            SkipSpace();
            if (TryConsume(')'))
                break;
            dims.Add(ParseInteger());
            SkipSpace();
            if (TryConsume(')'))
                break;
            Expect(',');
        }
        return [.. dims];
    }

    /// <summary>Skims a list (a structured dtype) only far enough to know it is well formed.</summary>
    private List<object> ParseList()
    {
        Expect('[');
        var items = new List<object>();
        int depth = 1;
        while (depth > 0)
        {
            if (position >= text.Length)
                ThrowHelper.ThrowFormat("NPY header ends inside a list");
            char c = text[position++];
            if (c is '[' or '(')
                depth++;
            else if (c is ']' or ')')
                depth--;
        }
        items.Add(text);
        return items;
    }

    private long ParseInteger()
    {
        SkipSpace();
        int start = position;
        if (position < text.Length && text[position] == '-')
            position++;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
            position++;
        // A trailing 'L' is how Python 2 wrote long integers.
        string digits = text[start..position];
        if (position < text.Length && text[position] == 'L')
            position++;
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw ThrowHelper.Format($"NPY header shape has an invalid dimension '{digits}'");
        if (value < 0)
            throw ThrowHelper.Format($"NPY header shape has a negative dimension {value}");
        return value;
    }

    private string ParseString()
    {
        SkipSpace();
        if (position >= text.Length || text[position] is not ('\'' or '"'))
            throw ThrowHelper.Format($"NPY header expects a quoted string at character {position}");
        char quote = text[position++];
        var value = new StringBuilder();
        while (position < text.Length && text[position] != quote)
            value.Append(text[position++]);
        if (position >= text.Length)
            ThrowHelper.ThrowFormat("NPY header has an unterminated string");
        position++;
        return value.ToString();
    }

    private bool Matches(string word)
    {
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0)
            return false;
        position += word.Length;
        return true;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!TryConsume(c))
            ThrowHelper.ThrowFormat(position >= text.Length
                ? $"NPY header ends where '{c}' was expected (the dict is not closed)"
                : $"NPY header expects '{c}' at character {position} but has '{text[position]}'");
    }

    private bool TryConsume(char c)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
            position++;
    }
}
