namespace Certstream.Ingestor.Tiled;

/// <summary>A static-ct TileLeaf in RFC 6962 form: MerkleTreeLeaf <c>leaf_input</c> and <c>extra_data</c> (README "NATS subjects").</summary>
internal readonly record struct ConvertedLeaf(ReadOnlyMemory<byte> LeafInput, ReadOnlyMemory<byte> ExtraData);
