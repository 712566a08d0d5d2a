using System.Net;
using System.Net.Sockets;

namespace Certstream.TestSupport;

public static class FreePort
{
    // Below Linux's ephemeral range (32768–60999 by default): a port bound to 0 comes from that range, and so does
    // the local port of every outgoing connection, so a port picked there can be taken by some client's connect
    // between our check and the server's bind. Ports here are only ever taken by an explicit bind.
    private const int LowestPort = 12000;
    private const int HighestPort = 32000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out before:
    /// chosen at random below the ephemeral range and checked by binding it.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(LowestPort, HighestPort);
            lock (Gate)
            {
                if (!HandedOut.Add(port)) continue;
            }
            if (CanBind(port)) return port;
        }
        throw new InvalidOperationException($"no free TCP port found on 127.0.0.1 between {LowestPort} and {HighestPort}");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
