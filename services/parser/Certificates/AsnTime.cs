namespace Certstream.Parser.Certificates;

/// <summary>UTCTime / GeneralizedTime to Unix seconds, tolerating missing seconds, fractions and offsets seen in old certificates.</summary>
internal static class AsnTime
{
    public const byte UtcTimeTag = 0x17;
    public const byte GeneralizedTimeTag = 0x18;

    public static bool TryParse(byte tag, ReadOnlySpan<byte> text, out long unixSeconds)
    {
        unixSeconds = 0;
        var pos = 0;
        int year;
        if (tag == UtcTimeTag)
        {
            if (!TryDigits(text, ref pos, 2, out year))
                return false;
            year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
        }
        else if (tag == GeneralizedTimeTag)
        {
            if (!TryDigits(text, ref pos, 4, out year))
                return false;
        }
        else
        {
            return false;
        }

        if (!TryDigits(text, ref pos, 2, out var month) || !TryDigits(text, ref pos, 2, out var day)
            || !TryDigits(text, ref pos, 2, out var hour) || !TryDigits(text, ref pos, 2, out var minute))
            return false;
        var second = 0;
        if (pos < text.Length && IsDigit(text[pos]) && !TryDigits(text, ref pos, 2, out second))
            return false;
        if (pos < text.Length && (text[pos] == '.' || text[pos] == ','))
        {
            pos++;
            while (pos < text.Length && IsDigit(text[pos]))
                pos++;
        }

        long offsetSeconds = 0;
        if (pos < text.Length)
        {
            var sign = text[pos];
            if (sign == 'Z')
            {
                pos++;
            }
            else if (sign is (byte)'+' or (byte)'-')
            {
                pos++;
                if (!TryDigits(text, ref pos, 2, out var offHours) || !TryDigits(text, ref pos, 2, out var offMinutes))
                    return false;
                offsetSeconds = (offHours * 3600L + offMinutes * 60L) * (sign == '+' ? 1 : -1);
            }
        }

        if (month is < 1 or > 12 || day is < 1 or > 31 || hour > 24 || minute > 59 || second > 60)
            return false;

        unixSeconds = DaysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool TryDigits(ReadOnlySpan<byte> text, ref int pos, int count, out int value)
    {
        value = 0;
        if (pos + count > text.Length)
            return false;
        for (var i = 0; i < count; i++)
        {
            var b = text[pos + i];
            if (!IsDigit(b))
                return false;
            value = value * 10 + (b - '0');
        }
        pos += count;
        return true;
    }

    // Howard Hinnant's days_from_civil: proleptic Gregorian, no DateTime range limits or exceptions.
    private static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - era * 400;
        var mp = (month + 9) % 12;
        var doy = (153 * mp + 2) / 5 + day - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
