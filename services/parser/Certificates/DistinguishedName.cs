namespace Certstream.Parser.Certificates;

/// <summary>The attributes of a Name that the message shows (docs/format.md: C, CN, L, O, OU, ST, emailAddress).</summary>
internal sealed class DistinguishedName
{
    public List<TextRef> Country { get; } = [];
    public List<TextRef> Locality { get; } = [];
    public List<TextRef> Province { get; } = [];
    public List<TextRef> Organization { get; } = [];
    public List<TextRef> OrganizationalUnit { get; } = [];
    public List<TextRef> EmailAddress { get; } = [];

    /// <summary>The last commonName, as Go's pkix.Name keeps it; null when absent.</summary>
    public TextRef? CommonName { get; set; }

    public void Reset()
    {
        Country.Clear();
        Locality.Clear();
        Province.Clear();
        Organization.Clear();
        OrganizationalUnit.Clear();
        EmailAddress.Clear();
        CommonName = null;
    }
}
