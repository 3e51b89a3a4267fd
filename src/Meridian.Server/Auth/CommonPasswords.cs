namespace Meridian.Server.Auth;

/// <summary>Frequently breached passwords of at least ten characters (shorter ones fail the length rule anyway).</summary>
internal static class CommonPasswords
{
    private static readonly HashSet<string> List = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890", "0123456789", "12345678910", "123456789a", "1234567890a", "123123123123",
        "1111111111", "0000000000", "1212121212", "9876543210", "1q2w3e4r5t", "1q2w3e4r5t6y",
        "qwertyuiop", "qwerty12345", "qwerty123456", "qwertyuiop123", "asdfghjkl1", "zxcvbnm123",
        "password12", "password123", "password1234", "password12345", "password!1", "passw0rd123",
        "p@ssw0rd123", "p@ssword123", "mypassword", "mypassword1", "password01", "passwordpassword",
        "iloveyou12", "iloveyou123", "letmein123", "letmein1234", "welcome123", "welcome1234",
        "admin12345", "administrator", "changeme123", "changeme12", "football123", "baseball123",
        "superman123", "princess123", "sunshine123", "trustno1234", "monkey12345", "dragon12345",
        "starwars123", "whatever123", "abcdefghij", "abcdefg123", "abc1234567", "abcd123456",
        "aaaaaaaaaa", "qazwsxedc123", "qazwsxedcrfv", "1qaz2wsx3edc", "zaq12wsxcde3", "q1w2e3r4t5",
        "q1w2e3r4t5y6", "a1b2c3d4e5", "secret1234", "computer123", "internet123", "michael123",
        "jennifer123", "charlie123", "shadow1234", "master1234", "hello12345", "helloworld",
        "helloworld1", "test123456", "testtest123", "guest12345", "login12345", "access1234",
        "meridian123", "meridian1234",
    };

    public static bool Contains(string password) => List.Contains(password);
}
