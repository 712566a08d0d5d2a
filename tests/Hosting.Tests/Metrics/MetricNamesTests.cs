using Certstream.Hosting.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class MetricNamesTests
{
    [Theory]
    [InlineData("certstream.edge.messages_sent", "certstream_edge_messages_sent")]
    [InlineData("certstream.edge.messagesSent", "certstream_edge_messages_sent")]
    [InlineData("HTTPServerRequests", "http_server_requests")]
    [InlineData("nats-client/reconnects", "nats_client_reconnects")]
    [InlineData("a..b--c", "a_b_c")]
    [InlineData("rule:name", "rule_name")]
    [InlineData("größe", "gr_e")]
    [InlineData("trailing.", "trailing")]
    [InlineData("2xx.responses", "_2xx_responses")]
    [InlineData("...", "_")]
    public void Names_are_sanitized_to_snake_case(string name, string expected) =>
        Assert.Equal(expected, MetricNames.Sanitize(name));

    [Theory]
    [InlineData("certstream.edge.messages_sent", null, true, "certstream_edge_messages_sent_total")]
    [InlineData("certstream.edge.messages_sent_total", null, true, "certstream_edge_messages_sent_total")]
    [InlineData("certstream.edge.messages", null, false, "certstream_edge_messages")]
    [InlineData("certstream.parse.duration", "s", false, "certstream_parse_duration_seconds")]
    [InlineData("certstream.parse.duration_seconds", "s", false, "certstream_parse_duration_seconds")]
    [InlineData("certstream.cpu", "s", true, "certstream_cpu_seconds_total")]
    [InlineData("certstream.cpu_total", "s", true, "certstream_cpu_seconds_total")]
    [InlineData("certstream.edge.sent", "By", true, "certstream_edge_sent_bytes_total")]
    [InlineData("certstream.edge.throughput", "By/s", false, "certstream_edge_throughput_bytes_per_second")]
    [InlineData("certstream.edge.rate", "{message}/s", false, "certstream_edge_rate_per_second")]
    [InlineData("certstream.edge.latency", "ms", false, "certstream_edge_latency")]
    [InlineData("certstream.edge.buffer", "KiBy", false, "certstream_edge_buffer")]
    [InlineData("certstream.edge.clients", "{client}", false, "certstream_edge_clients")]
    [InlineData("certstream.edge.ratio", "1", false, "certstream_edge_ratio")]
    [InlineData("certstream.edge.load", "%", false, "certstream_edge_load_percent")]
    public void Family_names_add_base_unit_and_total_suffixes_once(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, MetricNames.FamilyName(name, unit, counter));

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("statusCode", "status_code")]
    [InlineData("__reserved", "_reserved")]
    [InlineData("9lives", "_9lives")]
    [InlineData("le", "tag_le")]
    [InlineData("quantile", "tag_quantile")]
    public void Label_names_are_sanitized_and_keep_clear_of_reserved_ones(string key, string expected) =>
        Assert.Equal(expected, LabelText.LabelName(key));
}
