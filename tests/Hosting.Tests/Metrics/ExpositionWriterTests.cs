using System.Buffers;
using System.Globalization;
using System.Text;
using Certstream.Hosting.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class ExpositionWriterTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(1e-7, "1E-07")]
    public void Doubles_use_prometheus_float_syntax(double value, string expected) =>
        Assert.Equal(expected, ExpositionWriter.FormatDouble(value));

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-1.0 / 3)]
    [InlineData(123456789.123456789)]
    public void Doubles_round_trip_exactly(double value)
    {
        var text = ExpositionWriter.FormatDouble(value);
        Assert.Equal(value, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Doubles_ignore_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // InvariantGlobalization is on, but a culture object with a comma separator can still be set.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("1.5", ExpositionWriter.FormatDouble(1.5));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"C:\path", @"C:\\path")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    [InlineData("日本語 ✓ é", "日本語 ✓ é")]
    [InlineData("tab\there", "tab\there")]
    public void Label_values_escape_backslash_quote_and_newline(string value, string expected) =>
        Assert.Equal($"k=\"{expected}\"", Encoding.UTF8.GetString(ExpositionWriter.EncodeLabel("k", value)));

    [Fact]
    public void Label_values_with_lone_surrogates_become_valid_utf8() =>
        Assert.Equal("k=\"a\uFFFDb\"", Encoding.UTF8.GetString(ExpositionWriter.EncodeLabel("k", "a\uD800b")));

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new ExpositionWriter(buffer).WriteFamilyHeader("x", "a \\ b\n\"c\" é", MetricType.Gauge);
        Assert.Equal("# HELP x a \\\\ b\\n\"c\" é\n# TYPE x gauge\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Samples_put_extra_labels_after_series_labels()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ExpositionWriter(buffer);
        writer.WriteSample("h"u8, "_bucket"u8, "a=\"1\""u8, "le=\"0.5\""u8, 3L);
        writer.WriteSample("h"u8, "_bucket"u8, default, "le=\"+Inf\""u8, 4L);
        writer.WriteSample("g"u8, default, default, default, -0.5);
        writer.WriteSample("g"u8, default, "a=\"1\""u8, default, long.MinValue);
        Assert.Equal("h_bucket{a=\"1\",le=\"0.5\"} 3\nh_bucket{le=\"+Inf\"} 4\ng -0.5\ng{a=\"1\"} -9223372036854775808\n",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
