using System.Globalization;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// A tag value as the label text it becomes. Series identity is that text, so <c>5</c> and <c>"5"</c> are one
/// series (they would print identically and Prometheus rejects duplicate series). Matching and hashing format
/// span-formattable values into a stack buffer, so looking up an existing series allocates nothing.
/// </summary>
internal static class TagValue
{
    private const int StackChars = 64;

    public static string Format(object? value)
    {
        switch (value)
        {
            case null: return "";
            case string text: return text;
            case ISpanFormattable formattable:
                Span<char> buffer = stackalloc char[StackChars];
                if (formattable.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
                    return new string(buffer[..written]);
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString() ?? "";
        }
    }

    public static bool Matches(object? value, string text)
    {
        switch (value)
        {
            case null: return text.Length == 0;
            case string other: return string.Equals(other, text, StringComparison.Ordinal);
            case ISpanFormattable formattable:
                Span<char> buffer = stackalloc char[StackChars];
                if (formattable.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
                    return buffer[..written].SequenceEqual(text);
                break;
        }
        return string.Equals(Format(value), text, StringComparison.Ordinal);
    }

    public static int Hash(object? value)
    {
        switch (value)
        {
            case null: return Hash("");
            case string text: return Hash(text);
            case ISpanFormattable formattable:
                Span<char> buffer = stackalloc char[StackChars];
                if (formattable.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
                    return string.GetHashCode(buffer[..written]);
                break;
        }
        return Hash(Format(value));
    }

    // Always the span overload, so stored and probed values hash alike whatever their source.
    public static int Hash(string text) => string.GetHashCode(text.AsSpan());
}
