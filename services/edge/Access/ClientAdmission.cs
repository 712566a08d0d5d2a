using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>
/// <c>max_clients</c> and <c>max_clients_per_ip</c> (README "WebSocket and HTTP API"), decided before the upgrade. A slot taken by
/// <see cref="TryAdmit"/> is given back by <see cref="Release"/> when the session ends.
/// </summary>
internal sealed class ClientAdmission(WebserverOptions webserver)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _total;

    public int Total
    {
        get { lock (_lock) return _total; }
    }

    /// <summary>Addresses holding at least one slot (tests check that nothing leaks).</summary>
    public int AddressCount
    {
        get { lock (_lock) return _perAddress.Count; }
    }

    public AdmissionResult TryAdmit(IPAddress address)
    {
        lock (_lock)
        {
            if (webserver.MaxClients > 0 && _total >= webserver.MaxClients) return AdmissionResult.ServerFull;
            _perAddress.TryGetValue(address, out var count);
            if (webserver.MaxClientsPerIp > 0 && count >= webserver.MaxClientsPerIp) return AdmissionResult.AddressFull;
            _perAddress[address] = count + 1;
            _total++;
            return AdmissionResult.Admitted;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            if (!_perAddress.TryGetValue(address, out var count)) return;
            if (count <= 1) _perAddress.Remove(address);
            else _perAddress[address] = count - 1;
            _total--;
        }
    }
}
