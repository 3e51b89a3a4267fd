namespace Meridian.Testing.Llm;

/// <summary>How the fake server answers one request (<see cref="FakeProvider"/>).</summary>
public abstract record Reply;
