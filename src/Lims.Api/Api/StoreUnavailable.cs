using System.Data.Common;
using System.Net.Sockets;

namespace Lims.Api;

/// <summary>
/// Recognises the failures that mean "the database is not there right now" (refused or dropped connection, server
/// shutting down or starting, pool exhausted, SQLite busy) as opposed to a fault of the request or of the code.
/// </summary>
public static class StoreUnavailable
{
    public static bool Is(Exception exception)
    {
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Npgsql marks connection failures and the 08/53/57P SQL states transient; Microsoft.Data.Sqlite marks BUSY and LOCKED.
                case DbException { IsTransient: true }:
                case DbException { SqlState: { } state } when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal):
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
