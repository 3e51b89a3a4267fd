using System.Text.Json.Serialization;

namespace Meridian.Server.Auth;

/// <summary>The answer of <c>POST /auth/validate</c>: <see cref="ValidToken"/> or <see cref="InvalidToken"/>, told
/// apart by <c>valid</c>. No type discriminator is written: the two shapes are the answer as documented in docs/auth.md.</summary>
[JsonDerivedType(typeof(ValidToken))]
[JsonDerivedType(typeof(InvalidToken))]
public abstract record TokenCheck;
