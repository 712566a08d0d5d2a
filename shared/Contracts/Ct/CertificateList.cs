namespace Certstream.Contracts.Ct;

/// <summary>
/// A list of <c>ASN.1Cert&lt;1..2^24-1&gt;</c> (the body of an RFC 6962 certificate_chain or precertificate_chain,
/// without the 3-byte total length). Enumerating it yields each certificate's DER; it stops at the first
/// element that does not fit, leaving <see cref="Rejection"/> set, so a damaged chain still yields its good prefix.
/// </summary>
public readonly ref struct CertificateList
{
    private readonly ReadOnlySpan<byte> _body;

    public CertificateList(ReadOnlySpan<byte> body) => _body = body;

    public static CertificateList Empty => default;

    public bool IsEmpty => _body.IsEmpty;

    /// <summary>The list's bytes as logged.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary><see cref="CtRejection.None"/> when every element fits exactly.</summary>
    public CtRejection Rejection
    {
        get
        {
            var reader = new TlsReader(_body);
            while (reader.Remaining > 0)
            {
                if (!reader.TryReadOpaque24(out var cert))
                    return CtRejection.BadListLength;
                if (cert.IsEmpty)
                    return CtRejection.EmptyCertificate;
            }
            return CtRejection.None;
        }
    }

    public int Count
    {
        get
        {
            var n = 0;
            foreach (var _ in this)
                n++;
            return n;
        }
    }

    public Enumerator GetEnumerator() => new(_body);

    public ref struct Enumerator
    {
        private TlsReader _reader;
        private ReadOnlySpan<byte> _current;

        internal Enumerator(ReadOnlySpan<byte> body)
        {
            _reader = new TlsReader(body);
            _current = default;
        }

        public readonly ReadOnlySpan<byte> Current => _current;

        public bool MoveNext()
        {
            if (_reader.Remaining == 0 || !_reader.TryReadOpaque24(out _current) || _current.IsEmpty)
            {
                _current = default;
                return false;
            }
            return true;
        }
    }
}
