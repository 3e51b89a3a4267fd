namespace Meridian.Server.Telemetry;

/// <summary>Attribute names and values of OpenTelemetry's generative-AI semantic conventions, as Meridian's model
/// and tool spans carry them (docs/operations.md#7-traces).</summary>
public static class GenAi
{
    public const string OperationName = "gen_ai.operation.name";

    public const string ProviderName = "gen_ai.provider.name";

    public const string RequestModel = "gen_ai.request.model";

    public const string ResponseModel = "gen_ai.response.model";

    public const string InputTokens = "gen_ai.usage.input_tokens";

    public const string OutputTokens = "gen_ai.usage.output_tokens";

    public const string ToolName = "gen_ai.tool.name";

    public const string Chat = "chat";

    public const string ExecuteTool = "execute_tool";
}
