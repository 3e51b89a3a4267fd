namespace Meridian.Server.Runs;

public sealed class StoredRunEvent
{
    public long Seq { get; set; }

    public string Type { get; set; } = "";

    public string Payload { get; set; } = "";
}
