namespace Certstream.Parser.Tests;

/// <summary>
/// A test of the long suite (<c>make fuzz</c>): skipped unless CERTSTREAM_LONG_TESTS=1, so the default
/// suite stays fast and reports it as skipped rather than silently passing. Also tagged Category=Long.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LongFactAttribute : FactAttribute
{
    public const string Variable = "CERTSTREAM_LONG_TESTS";

    public LongFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"long test: set {Variable}=1 (make fuzz)";
    }
}
