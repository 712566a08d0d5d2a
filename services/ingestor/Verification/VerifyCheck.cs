namespace Certstream.Ingestor.Verification;

/// <summary>What a tree head failed: the <c>check</c> label of <c>ingestor_verify_failures_total</c> (docs/ingest.md "Verified logs").</summary>
internal enum VerifyCheck
{
    /// <summary>The head's signature is not the log's (or a checkpoint has no RFC 6962 signature line for the log's key).</summary>
    Signature,
    /// <summary>The head does not extend the previous verified head: a smaller tree, another root at the same size, or a proof that does not verify.</summary>
    Consistency,
    /// <summary>The log has no usable public key, so its heads cannot be checked.</summary>
    NoKey,
}
