namespace Meridian.Validation.Checks;

public enum CheckOutcome
{
    Passed,
    Failed,
    Skipped,
}
