using System.Globalization;

namespace Certstream.Bench;

/// <summary>The benchmark's result lines (README "Quick start"): <c>BENCH &lt;name&gt; &lt;value&gt; &lt;unit&gt;</c> and <c>RATIO &lt;name&gt; &lt;value&gt;</c>.</summary>
internal static class BenchOutput
{
    /// <summary>One figure; <paramref name="format"/> is the value's .NET format (F0 whole, F2, F4).</summary>
    public static void Figure(string name, double value, string unit, string format = "F0") =>
        Console.WriteLine($"BENCH {name} {value.ToString(format, CultureInfo.InvariantCulture)} {unit}");

    /// <summary>Ours against a peer measured in the same run, to two decimals.</summary>
    public static void Ratio(string name, double value) =>
        Console.WriteLine($"RATIO {name} {value.ToString("F2", CultureInfo.InvariantCulture)}");
}
