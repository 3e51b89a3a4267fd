using Meridian.Client.Http;
using Meridian.Client.Socket;
using Meridian.Validation;

namespace Meridian.Cli.Commands;

/// <summary>The sign-in failed before any work began: the command could not run (exit 2).</summary>
internal sealed class SignInException(string message, Exception? inner = null) : Exception(message, inner);
