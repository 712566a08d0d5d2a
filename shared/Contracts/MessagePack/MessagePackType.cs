namespace Certstream.Contracts.MessagePack;

/// <summary>The family of the next MessagePack value, as told by its first byte.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The MessagePack spec's own type names.")]
public enum MessagePackType
{
    Nil,
    Boolean,
    Integer,
    Float,
    String,
    Binary,
    Array,
    Map,
    Extension,
}
