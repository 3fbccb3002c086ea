using System.Globalization;

namespace Hush.Denoising.Methods;

/// <summary>Declares the settings of one method's options record <typeparamref name="T"/>: each helper takes the
/// record's getter and <c>with</c>-setter and gives a <see cref="MethodParameter"/> whose flag is <c>--NAME</c>.</summary>
internal sealed class ParameterBuilder<T>(string method) where T : MethodOptions
{
    public MethodParameter Float(string name, Func<T, float> get, Func<T, float, T> set, string description) =>
        Make(name, "number", description, (o, v) => set(o, Values.Float(v)), o => Values.Text(get(o)));

    public MethodParameter Int(string name, Func<T, int> get, Func<T, int, T> set, string description) =>
        Make(name, "integer", description, (o, v) => set(o, Values.Int(v)), o => Values.Text(get(o)));

    /// <summary>A switch the sweep sets with on/off and the CLI turns off with <paramref name="offFlag"/>.</summary>
    public MethodParameter Switch(string name, string offFlag, Func<T, bool> get, Func<T, bool, T> set, string description) =>
        Make(name, "on|off", description, (o, v) => set(o, Values.OnOff(v)), o => Values.OnOff(get(o))) with
        {
            Flag = offFlag, SwitchValue = "off",
        };

    public MethodParameter OnOff(string name, Func<T, bool> get, Func<T, bool, T> set, string description) =>
        Make(name, "on|off", description, (o, v) => set(o, Values.OnOff(v)), o => Values.OnOff(get(o)));

    public MethodParameter Enum<TEnum>(string name, Func<T, TEnum> get, Func<T, TEnum, T> set, string description)
        where TEnum : struct, System.Enum =>
        Make(name, string.Join("|", System.Enum.GetNames<TEnum>()), description, (o, v) => set(o, Values.Enum<TEnum>(v)), o => get(o).ToString());

    /// <summary>A setting without a fixed kind of value (a path, a named step); <paramref name="get"/> gives its text.</summary>
    public MethodParameter Text(string name, string hint, Func<T, string> get, Func<T, string, T> set, string description) =>
        Make(name, hint, description, (o, v) => set(o, v.Length > 0 ? v : throw new FormatException()), get);

    private MethodParameter Make(string name, string hint, string description, Func<T, string, T> set, Func<T, string> get) => new()
    {
        Name = name,
        Flag = "--" + name,
        Method = method,
        ValueHint = hint,
        Description = description,
        Parse = (o, v) => o with { MethodOptions = set(o.OptionsOf<T>(), v) },
        Read = o => get(o.OptionsOf<T>()),
    };
}

/// <summary>The canonical text of setting values: invariant culture, so a value reads and prints the same everywhere.</summary>
internal static class Values
{
    public static float Float(string v) => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static int Int(string v) => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static ulong ULong(string v) => ulong.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static string Text<TValue>(TValue value) where TValue : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    public static bool OnOff(string v) => v.ToLowerInvariant() switch
    {
        "on" or "true" or "1" => true,
        "off" or "false" or "0" => false,
        _ => throw new FormatException(),
    };

    public static string OnOff(bool v) => v ? "on" : "off";

    /// <summary>An enum by name, any case; numbers are refused (an out-of-range number would parse).</summary>
    public static TEnum Enum<TEnum>(string v) where TEnum : struct, System.Enum =>
        System.Enum.TryParse(v, ignoreCase: true, out TEnum e) && System.Enum.IsDefined(e) && !int.TryParse(v, out _) ? e : throw new FormatException();
}
