using System.Text.RegularExpressions;

namespace Lims.Settings;

public static partial class ConnectionStrings
{
    /// <summary>The connection string with the value of its password (or pwd) keyword masked, the rest as written.</summary>
    public static string MaskPassword(string connectionString) =>
        PasswordValue().Replace(connectionString, m => m.Groups["keyword"].Value + "*****");

    [GeneratedRegex("""(?<keyword>(?:^|;)\s*(?:password|pwd)\s*=\s*)(?:"[^"]*"|'[^']*'|[^;]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordValue();
}
