namespace Certstream.Contracts.Ct;

/// <summary>Why a CT structure could not be read. Malformed log data is an expected event, so it is a value, not an exception.</summary>
public enum CtRejection
{
    None = 0,
    /// <summary>The input ended before a field or a length-prefixed body.</summary>
    Truncated,
    /// <summary>MerkleTreeLeaf version other than v1 (0).</summary>
    UnsupportedVersion,
    /// <summary>MerkleTreeLeaf leaf_type other than timestamped_entry (0).</summary>
    UnsupportedLeafType,
    /// <summary>TimestampedEntry entry_type other than x509_entry (0) or precert_entry (1).</summary>
    UnknownEntryType,
    /// <summary>A certificate or TBSCertificate of length zero.</summary>
    EmptyCertificate,
    /// <summary>A list whose inner lengths do not add up to its total length.</summary>
    BadListLength,
    /// <summary>A static-ct-api fingerprint list whose length is not a multiple of 32.</summary>
    BadFingerprintList,
}
