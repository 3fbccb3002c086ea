using Hush.Testing;
using Microsoft.Playwright;
using static Hush.Cli.Tests.CliHarness;

namespace Hush.Cli.Tests;

/// <summary>The report page in a real browser: headless Chromium driven by Playwright, using the machine's own Chromium
/// (apt package <c>chromium</c>; <c>HUSH_CHROMIUM</c> names another), so no browser is downloaded. .ci/run installs
/// Chromium when it is missing; elsewhere, without one, the tests report themselves skipped with the reason. The bench
/// quality page is opened too, to see that every thumbnail decodes in a real browser.</summary>
[Trait("Category", "Browser")]
public class ReportBrowserTests
{
    /// <summary>Where the test leaves a screenshot of the whole page, for people to look at.</summary>
    public static string ScreenshotPath => Path.Combine(Path.GetTempPath(), "report-screenshot.png");

    [SkippableFact]
    public async Task ThePageLoadsCleanlyDecodesEveryImageAndTheSliderChangesWhatIsShown()
    {
        string? chromium = FindChromium();
        Skip.If(chromium is null, "no Chromium found (install the chromium package or set HUSH_CHROMIUM); .ci/run installs it");
        using var dir = new TempFolder();
        string page = dir.File("report.html");
        string sample = Path.Combine(SharedData.RepositoryRoot(), "samples", "kodim03-crop-g25.png"); // 128² RGB, σ = 25
        var run = Run("denoise", sample, "-o", dir.File("out.png"), "--report", page,
            "-m", "zs-n2n", "-n", "20", "--seed", "5", "--threads", "1", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);

        await using var browser = await Browser.OpenAsync(chromium!, page);
        var tab = browser.Tab;

        Assert.Equal(8, await tab.EvaluateAsync<int>("() => document.images.length"));
        Assert.Equal(0, await tab.EvaluateAsync<int>(Undecoded));
        Assert.Equal(1, await tab.Locator("svg#loss-curve polyline.loss-training").CountAsync());

        // The range input: the noisy overlay's clip and the divider follow it, and the pixels shown change.
        var compare = tab.Locator("#compare");
        byte[] halfway = await compare.ScreenshotAsync();
        string clipBefore = await Style(tab, "compare-noisy", "clipPath");
        await tab.Locator("#compare-range").FillAsync("20");
        string clipAfter = await Style(tab, "compare-noisy", "clipPath");
        Assert.NotEqual(clipBefore, clipAfter);
        Assert.Equal("inset(0px 80% 0px 0px)", clipAfter);
        Assert.Equal("20%", await tab.EvaluateAsync<string>("() => document.getElementById('compare-divider').style.left"));
        byte[] moved = await compare.ScreenshotAsync();
        Assert.False(halfway.SequenceEqual(moved), "moving the slider changed nothing on screen");

        // Dragging across the image moves the divide to the pointer, and the range input with it.
        var box = (await compare.BoundingBoxAsync())!;
        await tab.Mouse.MoveAsync(box.X + box.Width * 0.3f, box.Y + box.Height / 2);
        await tab.Mouse.DownAsync();
        await tab.Mouse.MoveAsync(box.X + box.Width * 0.75f, box.Y + box.Height / 2, new() { Steps = 4 });
        await tab.Mouse.UpAsync();
        double dragged = await tab.EvaluateAsync<double>("() => +document.getElementById('compare-range').value");
        Assert.InRange(dragged, 73, 77);

        await tab.Locator("#compare-range").FillAsync("50");
        await tab.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        Assert.Empty(browser.Errors);
        Assert.Empty(browser.Fetched);
    }

    [SkippableFact]
    public async Task TheBenchQualityPageLoadsCleanlyAndDecodesEveryThumbnail()
    {
        string? chromium = FindChromium();
        Skip.If(chromium is null, "no Chromium found (install the chromium package or set HUSH_CHROMIUM); .ci/run installs it");
        using var dir = new TempFolder();
        string results = dir.File("results");
        string[] clean = [SharedData.PathOf("data", "Kodak24", "kodim01.png"), SharedData.PathOf("data", "Kodak24", "kodim03.png")];
        var run = Run(["bench", "quality", "--clean", .. clean, "--crop", "48x48", "--noise", "g25", "-n", "10", "-t", "1",
            "-o", results, "--save-outputs", "-q"]);
        Assert.True(run.ExitCode == 0, run.Error);

        await using var browser = await Browser.OpenAsync(chromium!, Path.Combine(results, "results.html"));
        Assert.Equal(6, await browser.Tab.EvaluateAsync<int>("() => document.images.length"));
        Assert.Equal(0, await browser.Tab.EvaluateAsync<int>(Undecoded));
        Assert.Equal(2, await browser.Tab.Locator("tr.run").CountAsync());
        Assert.Empty(browser.Errors);
        Assert.Empty(browser.Fetched);
    }

    /// <summary>How many of the page's images did not load and decode.</summary>
    private const string Undecoded = "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length";

    /// <summary>A page opened in headless Chromium, with what it logged as errors and any request that was not for a file
    /// or a data: URI.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly IPlaywright playwright;
        private readonly IBrowser chromium;

        private Browser(IPlaywright playwright, IBrowser chromium, IPage tab) => (this.playwright, this.chromium, Tab) = (playwright, chromium, tab);

        public IPage Tab { get; }

        public List<string> Errors { get; } = [];

        public List<string> Fetched { get; } = [];

        public static async Task<Browser> OpenAsync(string executable, string page)
        {
            var playwright = await Playwright.CreateAsync();
            var chromium = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true });
            var browser = new Browser(playwright, chromium, await chromium.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } }));
            browser.Tab.Console += (_, m) => { if (m.Type == "error") browser.Errors.Add($"{m.Type}: {m.Text}"); };
            browser.Tab.PageError += (_, e) => browser.Errors.Add($"page error: {e}");
            browser.Tab.Request += (_, r) =>
            {
                if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) browser.Fetched.Add(r.Url);
            };
            await browser.Tab.GotoAsync(new Uri(page).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            return browser;
        }

        public async ValueTask DisposeAsync()
        {
            await chromium.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static Task<string> Style(IPage tab, string id, string property) =>
        tab.EvaluateAsync<string>($"() => getComputedStyle(document.getElementById('{id}')).{property}");

    /// <summary>HUSH_CHROMIUM, else the first Chromium or Chrome on PATH; null when there is none.</summary>
    private static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("HUSH_CHROMIUM") is { Length: > 0 } named) return named;
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (string folder in folders)
                if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        return null;
    }
}
