using Certstream.Deploy.Tests.Support;

namespace Certstream.Deploy.Tests;

/// <summary>The hand-made checkers catch what they are meant to catch, so a passing deployment test means something.</summary>
public sealed class CheckerTests
{
    [Theory]
    [InlineData("{{- if .Values.a }}\nx\n", "'if' never ends")]
    [InlineData("x\n{{- end }}\n", "'end' without an open block")]
    [InlineData("{{ .Values.a }\n{{ .Values.b }}", "not closed before the next")]
    [InlineData("{{- with .Values.a }}{{ else }}{{ end }}{{ else }}", "'else' outside")]
    [InlineData("a }} b", "without '{{'")]
    [InlineData("{{/* open comment }}", "comment not closed")]
    public void The_block_checker_reports_broken_templates(string template, string problem) =>
        Assert.Contains(TemplateBlocks.Problems(template), p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void The_block_checker_accepts_nested_blocks_and_finds_named_templates()
    {
        const string template = "{{- define \"a\" -}}\n{{- if .x }}{{ range .y }}{{ end }}{{ else if .z }}{{ end }}\nbody\n{{- end -}}\n{{/* note */}}\n{{- define \"b\" }}b{{ end }}";
        Assert.Empty(TemplateBlocks.Problems(template));
        var defines = TemplateBlocks.Defines(template);
        Assert.Equal(["a", "b"], defines.Keys.Order(StringComparer.Ordinal));
        Assert.EndsWith("body\n", defines["a"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CERTSTREAM_WEBSERVER_LISTEN_PROT", "8080", "unknown key")]
    [InlineData("CERTSTREAM_WEBSERVER_LISTEN_PORT", "http", "not a whole number")]
    [InlineData("CERTSTREAM_LISTEN_PORT", "8080", "names no config section")]
    [InlineData("CERTSTREAM_LOG_FORMAT", "xml", "not one of")]
    [InlineData("CERTSTREAM_GENERAL_LOG_LIST_URL", "ftp://example.com/list.json", "not an http(s) URL")]
    public void The_variable_checker_refuses_what_the_services_would_refuse(string name, string value, string problem) =>
        Assert.Contains(problem, CertstreamVariables.Problem(name, value) ?? "(accepted)", StringComparison.Ordinal);

    [Fact]
    public void Compose_interpolation_takes_the_variable_or_else_the_default()
    {
        var variables = new Dictionary<string, string> { ["A"] = "set", ["EMPTY"] = "" };
        Assert.Equal("set/d/d/", ComposeInterpolation.Apply("${A:-x}/${B:-d}/${EMPTY:-d}/${C}", variables));
    }
}
