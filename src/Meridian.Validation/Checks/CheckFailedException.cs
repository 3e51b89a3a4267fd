namespace Meridian.Validation.Checks;

/// <summary>Thrown by a check to fail with a diagnosis.</summary>
public sealed class CheckFailedException(Diagnosis diagnosis) : Exception(diagnosis.ToString())
{
    public Diagnosis Diagnosis { get; } = diagnosis;
}
