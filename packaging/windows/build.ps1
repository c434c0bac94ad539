<#
  (UTF-8 with BOM: Windows PowerShell 5.1 reads a script without one in the ANSI code page)
.SYNOPSIS
  Build the gridmap bundle and its per-user installer on Windows, with one command:

    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

.DESCRIPTION
  The Windows twin of scripts/bundle.sh, on a Windows 10/11 x64 build machine with 64-bit Python
  3.11-3.13 (python.org; the "py" launcher is used when there) and NSIS 3 (winget install NSIS.NSIS):

   1. a build venv (-Venv) with build and PyInstaller; the wheel built from this checkout
      (python -m build) and installed there with its [ui] extra (-PipArgs "--no-index --find-links
      D:\wheels" builds offline from a wheel folder, see README "Offline install");
   2. the PyInstaller one-folder bundle from packaging\gridmap.spec (the same spec as Linux):
      dist\bundle\gridmap\ with gridmap.exe (CLI; the app without arguments), gridmap-gui.exe (the
      app, no console window), Qt plugins, GDAL and PROJ data, the translations and the sample plan;
      -CjkFont FILE puts a redistributable TrueType CJK font inside (e.g. wqy-microhei.ttc, Apache-2.0);
      without it the bundle uses the fonts every Windows has (Microsoft YaHei, SimSun; SimHei);
   3. a self-test of the bundle with a PATH that has no Python (skip with -NoTest): --version,
      sample, info, check, export pdf (the PDF must embed its font), the app offscreen (a screenshot);
   4. dist\gridmap-VERSION-windows-x64.zip (portable: unzip anywhere, run gridmap-gui.exe) and
      dist\gridmap-VERSION-windows-x64-setup.exe (packaging\windows\gridmap.nsi: per-user install into
      %LOCALAPPDATA%\Programs\gridmap, no admin rights, Start menu entry, .gpkg "Open with").
#>
[CmdletBinding()]
param(
  [string]$Python = "",
  [string]$Venv = (Join-Path $env:TEMP "gridmap-bundle-venv"),
  [string]$PipArgs = "",
  [string]$CjkFont = "",
  [switch]$NoTest,
  [switch]$NoInstaller
)
Set-StrictMode -Version 3
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root
$Out = Join-Path $Root "dist\bundle"
$Work = Join-Path $env:TEMP "gridmap-bundle-work"
$Pip = @($PipArgs -split "\s+" | Where-Object { $_ })

# a native program's exit status checked; its stderr (pip's notes …) is output, not an exception
function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
  $ErrorActionPreference = "Continue"
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "build: '$Exe $($Arguments -join ' ')' failed (exit $LASTEXITCODE)" }
}

# ---- Python and the build venv
if ($Python) { $PyCmd = @($Python) }
elseif (Get-Command py -ErrorAction SilentlyContinue) { $PyCmd = @("py", "-3") }
else { $PyCmd = @("python") }
$PyExe = $PyCmd[0]; $PyPre = @($PyCmd | Select-Object -Skip 1)
& $PyExe @PyPre -c "import struct, sys; sys.exit(sys.version_info < (3, 11) or struct.calcsize('P') != 8)"
if ($LASTEXITCODE -ne 0) { throw "build: needs 64-bit Python >= 3.11 ($($PyCmd -join ' '))" }
$VPy = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VPy)) { Invoke-Checked $PyExe ($PyPre + @("-m", "venv", $Venv)) }
Invoke-Checked $VPy (@("-m", "pip", "install", "-q") + $Pip + @("build", "pyinstaller"))

# ---- the wheel, installed with the app's dependencies
Write-Host "build: building the wheel"
if (Test-Path $Work) { Remove-Item -Recurse -Force $Work }
New-Item -ItemType Directory -Force -Path (Join-Path $Work "wheel"), (Join-Path $Work "fonts"), $Out | Out-Null
Invoke-Checked $VPy @("-m", "build", "-q", "--wheel", "-o", (Join-Path $Work "wheel"), $Root)
$Wheel = (Get-ChildItem (Join-Path $Work "wheel\gridmap-*.whl") | Select-Object -First 1).FullName
Invoke-Checked $VPy (@("-m", "pip", "install", "-q") + $Pip + @("--force-reinstall", "--no-deps", $Wheel))
Invoke-Checked $VPy (@("-m", "pip", "install", "-q") + $Pip + @($Wheel + "[ui]"))
$Version = (& $VPy -c "import gridmap; print(gridmap.__version__)").Trim()

# ---- an optional CJK font to put inside (with its licence next to it, if there is one)
if ($CjkFont) {
  Copy-Item $CjkFont (Join-Path $Work "fonts")
  foreach ($lic in @("$CjkFont.copyright.txt", (Join-Path (Split-Path $CjkFont) "LICENSE"))) {
    if (Test-Path $lic) { Copy-Item $lic (Join-Path $Work ("fonts\" + (Split-Path $CjkFont -Leaf) + ".copyright.txt")) }
  }
}

# ---- freeze (the same spec as Linux; it takes the icon packaging\windows\gridmap.ico)
Write-Host "build: freezing (PyInstaller)"
$env:GRIDMAP_BUNDLE_FONTS = Join-Path $Work "fonts"
Invoke-Checked (Join-Path $Venv "Scripts\pyinstaller.exe") @("--noconfirm", "--log-level", "WARN",
  "--distpath", $Out, "--workpath", (Join-Path $Work "build"), (Join-Path $Root "packaging\gridmap.spec"))
$Bundle = Join-Path $Out "gridmap"
Copy-Item (Join-Path $Root "README.md") (Join-Path $Bundle "README.md")
Copy-Item (Join-Path $Root "sample_layers\ATTRIBUTION.md") (Join-Path $Bundle "DATA-ATTRIBUTION.md")
$Zip = Join-Path $Root "dist\gridmap-$Version-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item $Zip }
Compress-Archive -Path $Bundle -DestinationPath $Zip
$MB = [math]::Round(((Get-ChildItem -Recurse -File $Bundle | Measure-Object Length -Sum).Sum) / 1MB)
Write-Host "build: $Bundle ($MB MB), $Zip"

# ---- self-test: a PATH with no Python on it, a user folder with a Chinese name
if (-not $NoTest) {
  $T = Join-Path $env:TEMP ("gridmap-bundle-test-" + [guid]::NewGuid().ToString("N").Substring(0, 8))
  $Sample = Join-Path $T "样例 sample"
  New-Item -ItemType Directory -Force -Path $T | Out-Null
  $SavedPath = $env:PATH
  $env:PATH = "$env:SystemRoot\System32;$env:SystemRoot"
  $env:QT_QPA_PLATFORM = "offscreen"
  try {
    if (Get-Command python -ErrorAction SilentlyContinue) { throw "bundle test: python found on the test PATH" }
    $Exe = Join-Path $Bundle "gridmap.exe"
    $sw = [Diagnostics.Stopwatch]::StartNew(); Invoke-Checked $Exe @("--version"); $sw.Stop()
    Write-Host "bundle test: gridmap --version took $($sw.ElapsedMilliseconds) ms"
    Invoke-Checked $Exe @("sample", "-o", $Sample)
    $Plan = Join-Path $Sample "baoan_plan.gpkg"
    Invoke-Checked $Exe @("info", $Plan)
    Invoke-Checked $Exe @("check", $Plan)
    & $Exe check (Join-Path $Sample "baoan_plan_errors.gpkg") --json | Out-File (Join-Path $T "errors.json") -Encoding utf8
    if ($LASTEXITCODE -ne 1) { throw "bundle test: check of the error sample exited $LASTEXITCODE, expected 1" }
    $Pdf = Join-Path $T "附件图.pdf"
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Checked $Exe @("export", $Plan, "--format", "pdf", "-o", $Pdf); $sw.Stop()
    Write-Host "bundle test: export pdf took $($sw.ElapsedMilliseconds) ms"
    $bytes = [IO.File]::ReadAllBytes($Pdf)
    $latin = [Text.Encoding]::GetEncoding(28591).GetString($bytes)
    if ($latin -notmatch "/FontFile2") { throw "bundle test: the PDF embeds no TrueType font" }
    $Shot = Join-Path $Out "bundle_screenshot.png"
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Checked $Exe @("--screenshot", $Plan, $Shot); $sw.Stop()
    Write-Host "bundle test: app start + screenshot took $($sw.ElapsedMilliseconds) ms ($Shot)"
  } finally {
    $env:PATH = $SavedPath
    Remove-Item Env:\QT_QPA_PLATFORM -ErrorAction SilentlyContinue
  }
  Write-Host "bundle test: OK ($T)"
}

# ---- the per-user installer (NSIS)
if (-not $NoInstaller) {
  $Nsis = (Get-Command makensis -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source)
  foreach ($c in @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe")) {
    if (-not $Nsis -and (Test-Path $c)) { $Nsis = $c }
  }
  if (-not $Nsis) { throw "build: NSIS not found; install it (winget install NSIS.NSIS) or pass -NoInstaller" }
  $Setup = Join-Path $Root "dist\gridmap-$Version-windows-x64-setup.exe"
  Push-Location (Join-Path $Root "packaging\windows")
  try {
    Invoke-Checked $Nsis @("/V2", "/DVERSION=$Version", "/DSRCDIR=$Bundle", "/DOUTFILE=$Setup", "gridmap.nsi")
  } finally { Pop-Location }
  Write-Host "build: installer $Setup ($([math]::Round((Get-Item $Setup).Length / 1MB)) MB)"
}
