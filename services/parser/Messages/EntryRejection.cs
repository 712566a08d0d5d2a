namespace Certstream.Parser.Messages;

/// <summary>Why an entry produced no messages (docs/format.md: only an undecodable leaf is dropped). The name goes into <c>Certstream-Error</c>.</summary>
public enum EntryRejection
{
    None = 0,
    /// <summary>leaf_input is not a MerkleTreeLeaf we can read (see the <c>CtRejection</c> detail).</summary>
    MalformedLeafInput,
    /// <summary>The leaf certificate (or precert TBSCertificate) lacks even the X.509 skeleton.</summary>
    UndecodableCertificate,
}
