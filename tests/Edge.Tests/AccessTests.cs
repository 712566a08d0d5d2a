using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge.Tests;

public sealed class AccessTests
{
    [Fact]
    public async Task Max_clients_refuses_the_upgrade_with_503_until_a_slot_frees()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { MaxClients = 2 });
        using var first = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var second = await EdgeClient.ConnectAsync(edge.WebSocketUri("/full-stream"));

        Assert.Equal(503, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/domains-only")));

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        await Eventually.TrueAsync(() => edge.Admission.Total == 1, "slot released");
        using var third = await EdgeClient.ConnectAsync(edge.WebSocketUri("/domains-only"));
        Assert.Equal(WebSocketState.Open, third.State);
    }

    [Fact]
    public async Task Max_clients_per_ip_refuses_with_429()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { MaxClientsPerIp = 2 });
        using var first = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var second = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));

        Assert.Equal(429, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/")));
    }

    [Fact]
    public async Task Real_ip_takes_the_client_from_x_forwarded_for_sent_by_a_trusted_proxy()
    {
        await using var edge = await Edge.StartAsync(OneClientPerRealIp(trustedProxies: "127.0.0.1/32"));
        using var a = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), ForwardedFor("198.51.100.1"));
        using var b = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), ForwardedFor("198.51.100.2"));
        using var c = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), o => o.SetRequestHeader("X-Real-IP", "198.51.100.3"));

        Assert.Equal(429, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/"), ForwardedFor("203.0.113.7, 198.51.100.2")));
        Assert.Equal(3, edge.Admission.AddressCount);
    }

    [Fact]
    public async Task Forwarding_headers_from_an_untrusted_peer_are_ignored()
    {
        await using var edge = await Edge.StartAsync(OneClientPerRealIp(trustedProxies: "10.0.0.0/8"));
        using var a = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), ForwardedFor("198.51.100.1"));

        Assert.Equal(429, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/"), ForwardedFor("198.51.100.2")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/example.json")]
    [InlineData("/latest.json")]
    [InlineData("/stats")]
    public async Task A_whitelist_refuses_other_addresses_with_403(string path)
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { Whitelist = Edge.Networks("10.0.0.0/8", "192.168.1.1") });
        using var http = Edge.Http(edge);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(403, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/full-stream")));
    }

    [Fact]
    public async Task A_whitelisted_address_is_served()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { Whitelist = Edge.Networks("127.0.0.1/8") });
        using var http = Edge.Http(edge);

        using var response = await http.GetAsync("/latest.json");
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task The_whitelist_applies_to_the_real_ip_behind_a_trusted_proxy()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            Whitelist = Edge.Networks("203.0.113.0/24"),
            RealIp = true,
            TrustedProxies = Edge.Networks("127.0.0.1"),
        });

        using var allowed = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), ForwardedFor("203.0.113.9"));
        Assert.Equal(403, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/"), ForwardedFor("198.51.100.1")));
        Assert.Equal(WebSocketState.Open, allowed.State);
    }

    [Fact]
    public async Task With_auth_tokens_streams_need_a_bearer_header_or_token_query()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { AuthTokens = ["s3cret", "other"] });

        Assert.Equal(401, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/")));
        Assert.Equal(401, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/?token=wrong")));
        Assert.Equal(401, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/"), o => o.SetRequestHeader("Authorization", "Bearer s3cre")));
        using var byHeader = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), o => o.SetRequestHeader("Authorization", "Bearer s3cret"));
        using var byQuery = await EdgeClient.ConnectAsync(edge.WebSocketUri("/full-stream?token=other"));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 2, "both authorized clients registered");
    }

    [Fact]
    public async Task Event_stream_clients_meet_the_same_tokens_whitelist_and_limits()
    {
        await using (var edge = await Edge.StartAsync(Edge.Settings() with { AuthTokens = ["s3cret"], MaxClientsPerIp = 1 }))
        {
            using var http = Edge.Http(edge);
            using (var anonymous = await http.GetAsync("/sse"))
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var admitted = await http.GetAsync("/sse?token=s3cret", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "the event stream registered");
            using (var second = await http.GetAsync("/sse?token=s3cret&stream=domains", HttpCompletionOption.ResponseHeadersRead))
                Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }
        await using (var edge = await Edge.StartAsync(Edge.Settings() with { Whitelist = Edge.Networks("10.0.0.0/8") }))
        {
            using var http = Edge.Http(edge);
            using var refused = await http.GetAsync("/sse");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    [Fact]
    public async Task With_auth_tokens_the_json_endpoints_need_a_token_but_the_html_page_does_not()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { AuthTokens = ["s3cret"] });
        using var http = Edge.Http(edge);

        using var anonymous = await http.GetAsync("/stats");
        using var page = await http.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var authorized = await http.SendAsync(request);
        using var byQuery = await http.GetAsync("/latest.json?token=s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
    }

    /// <summary>At most one client per address, the address taken from forwarding headers sent by <paramref name="trustedProxies"/>.</summary>
    private static WebserverOptions OneClientPerRealIp(string trustedProxies) =>
        Edge.Settings() with { MaxClientsPerIp = 1, RealIp = true, TrustedProxies = Edge.Networks(trustedProxies) };

    /// <summary>An upgrade request carrying <c>X-Forwarded-For: <paramref name="addresses"/></c>, as a proxy sends it.</summary>
    private static Action<ClientWebSocketOptions> ForwardedFor(string addresses) => o => o.SetRequestHeader("X-Forwarded-For", addresses);
}
