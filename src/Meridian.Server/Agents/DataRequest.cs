namespace Meridian.Server.Agents;

/// <summary>One thing the user should send, why it matters and how to export it.</summary>
public sealed record DataRequest(string Item, string Why, string How);
