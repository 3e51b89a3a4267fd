using Meridian.Client;
using Meridian.Client.Http;

namespace Meridian.Validation.Checks;

/// <summary>The server refused the credentials the validator was given: the suite cannot run (exit 2).</summary>
public sealed class CredentialsRefusedException(string message, Exception? inner = null) : Exception(message, inner);
