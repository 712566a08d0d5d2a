using System.Text.Json.Serialization;

namespace Certstream.Contracts;

/// <summary>Source-generated JSON for the contract's JSON values (no reflection at run time).</summary>
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Checkpoint))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
