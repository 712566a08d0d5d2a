namespace Certstream.Edge;

internal enum AdmissionResult
{
    Admitted,

    /// <summary><c>max_clients</c> reached: 503.</summary>
    ServerFull,

    /// <summary><c>max_clients_per_ip</c> reached: 429.</summary>
    AddressFull,
}
