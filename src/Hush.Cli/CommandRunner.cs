using Hush.Imaging;

namespace Hush.Cli;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and its exit
/// code. Unexpected exceptions also become one line (the type says it is a bug); set HUSH_DEBUG=1 for
/// the stack trace.</summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body, TextWriter error)
    {
        try
        {
            return body();
        }
        catch (ImageFormatException e)
        {
            error.WriteLine($"hush: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (InvalidInputException e)
        {
            error.WriteLine($"hush: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (InvalidModelException e)
        {
            error.WriteLine($"hush: {e.Message}");
            return ExitCodes.InvalidModel;
        }
        catch (UsageException e)
        {
            error.WriteLine($"hush: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("hush: cancelled; no output written");
            return ExitCodes.Failure;
        }
        catch (CommandFailedException e)
        {
            error.WriteLine($"hush: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            error.WriteLine($"hush: internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("HUSH_DEBUG") == "1") error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }
}
