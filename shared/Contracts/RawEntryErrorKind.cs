namespace Certstream.Contracts;

/// <summary>Why a message could not be read as a <see cref="RawEntry"/>; small and fixed, fit for a metric label.</summary>
public enum RawEntryErrorKind
{
    None,

    /// <summary>Not well-formed MessagePack, not a map, or bytes after the map.</summary>
    Malformed,

    /// <summary>A schema version other than <see cref="RawEntry.SchemaVersion"/>.</summary>
    UnsupportedVersion,

    /// <summary>A required key is absent.</summary>
    MissingField,

    /// <summary>A known key has a value of the wrong type or out of range, or appears twice.</summary>
    InvalidField,
}
