using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Certstream.Edge;

/// <summary>
/// Runs before the WebSockets middleware, which captures the upgrade features when it sees the request: wrapping
/// them here puts an <see cref="ActivityTrackingStream"/> under the WebSocket it creates (HTTP/1.1 upgrade and
/// HTTP/2 extended CONNECT alike).
/// </summary>
internal static class ActivityTrackingFeatures
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        var upgradable = upgrade?.IsUpgradableRequest == true;
        var extended = connect?.IsExtendedConnect == true;
        if (upgradable || extended)
        {
            var activity = new ClientActivity();
            context.Features.Set(activity);
            if (upgradable) context.Features.Set<IHttpUpgradeFeature>(new TrackingUpgrade(upgrade!, activity));
            if (extended) context.Features.Set<IHttpExtendedConnectFeature>(new TrackingConnect(connect!, activity));
        }
        return next(context);
    }

    private sealed class TrackingUpgrade(IHttpUpgradeFeature inner, ClientActivity activity) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync()
        {
            var stream = await inner.UpgradeAsync();
            activity.OnReceived();
            return new ActivityTrackingStream(stream, activity);
        }
    }

    private sealed class TrackingConnect(IHttpExtendedConnectFeature inner, ClientActivity activity) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;
        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync()
        {
            var stream = await inner.AcceptAsync();
            activity.OnReceived();
            return new ActivityTrackingStream(stream, activity);
        }
    }
}
