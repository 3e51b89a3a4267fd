namespace Meridian.Server.Runs;

/// <summary>The node's identity in the runs table (which node holds which active run).</summary>
public sealed record RunNode(string Id);
