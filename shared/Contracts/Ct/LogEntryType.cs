namespace Certstream.Contracts.Ct;

/// <summary>RFC 6962 §3.4 LogEntryType.</summary>
public enum LogEntryType : ushort
{
    X509Entry = 0,
    PrecertEntry = 1,
}
