namespace Meridian.Server.Workloads;

public enum ImportFormat
{
    Csv,
    Jsonl,
}
