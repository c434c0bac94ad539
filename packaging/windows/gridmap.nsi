; The gridmap installer for Windows (NSIS 3, Unicode): one setup .exe that installs the PyInstaller
; bundle (dist\bundle\gridmap, made by packaging\windows\build.ps1) for the current user only —
; no administrator rights, no UAC prompt — into %LOCALAPPDATA%\Programs\gridmap, with
;   * a Start menu folder "gridmap": the app (it opens the sample plan on first start), the manual
;     (README), uninstall;
;   * "Open with → gridmap" for .gpkg files (per-user, HKCU\Software\Classes; the default program of
;     .gpkg — QGIS, ArcGIS Pro … — is left as it is);
;   * an entry in Settings → Apps (per-user uninstall key).
; The user's settings and plans (%APPDATA%\gridmap, tile cache in %LOCALAPPDATA%\gridmap) are kept
; on uninstall.  Silent install: gridmap-…-setup.exe /S [/D=folder]; silent uninstall: uninstall.exe /S.
;
; Built by build.ps1 (Windows), or anywhere NSIS runs (Debian: apt-get install nsis):
;   makensis /DVERSION=0.1.0 /DSRCDIR=..\..\dist\bundle\gridmap /DOUTFILE=..\..\dist\gridmap-0.1.0-setup.exe gridmap.nsi
; tests/test_windows_installer.py compiles it on Linux with a stand-in bundle.

; a 64-bit, Unicode installer (the bundle is 64-bit; Chinese folder names)
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "gridmap.nsi: pass the version, makensis /DVERSION=x.y.z (build.ps1 does)"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\dist\bundle\gridmap"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\gridmap-${VERSION}-windows-x64-setup.exe"
!endif
!define APPNAME "gridmap"
!define APPEXE "gridmap-gui.exe"
!define PROGID "gridmap.plan"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\gridmap"
!define CLASSES "Software\Classes"

Name "gridmap ${VERSION}"
Caption "gridmap ${VERSION} — 城市网格化管理桌面 GIS"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\gridmap"
InstallDirRegKey HKCU "Software\gridmap" "InstallDir"
BrandingText "gridmap ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "gridmap"
VIAddVersionKey /LANG=0 "FileDescription" "gridmap setup — 城市网格化管理桌面 GIS"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "gridmap.ico"
!define MUI_UNICON "gridmap.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APPEXE}"
!define MUI_FINISHPAGE_SHOWREADME "$INSTDIR\README.md"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED
!define MUI_FINISHPAGE_SHOWREADME_FUNCTION ShowManual

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the fallback; NSIS picks the one matching the Windows display language
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString LinkApp ${LANG_SIMPCHINESE} "gridmap 网格地图"
LangString LinkApp ${LANG_ENGLISH} "gridmap"
LangString LinkManual ${LANG_SIMPCHINESE} "使用说明 (README)"
LangString LinkManual ${LANG_ENGLISH} "Manual (README)"
LangString LinkUninstall ${LANG_SIMPCHINESE} "卸载 gridmap"
LangString LinkUninstall ${LANG_ENGLISH} "Uninstall gridmap"
LangString NotOurFolder ${LANG_SIMPCHINESE} "文件夹 $INSTDIR 里没有 gridmap，未删除任何文件。"
LangString NotOurFolder ${LANG_ENGLISH} "The folder $INSTDIR holds no gridmap; nothing was removed."
LangString FileTypeName ${LANG_SIMPCHINESE} "gridmap 网格方案 (GeoPackage)"
LangString FileTypeName ${LANG_ENGLISH} "gridmap plan (GeoPackage)"

Function ShowManual
  ; README.md is UTF-8: Notepad (Windows 10 1903+) reads it as such
  Exec '"$WINDIR\notepad.exe" "$INSTDIR\README.md"'
FunctionEnd

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "gridmap" SecMain
  SectionIn RO
  SetShellVarContext current
  ; an update: the old program files go first (the user's data is not in $INSTDIR)
  IfFileExists "$INSTDIR\${APPEXE}" 0 +2
    RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}\*"
  File "gridmap.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\gridmap" "InstallDir" "$INSTDIR"

  ; Start menu (the user's own: $SMPROGRAMS with the current-user context)
  CreateDirectory "$SMPROGRAMS\gridmap"
  CreateShortcut "$SMPROGRAMS\gridmap\$(LinkApp).lnk" "$INSTDIR\${APPEXE}" "" "$INSTDIR\gridmap.ico" 0
  CreateShortcut "$SMPROGRAMS\gridmap\$(LinkManual).lnk" "$WINDIR\notepad.exe" '"$INSTDIR\README.md"'
  CreateShortcut "$SMPROGRAMS\gridmap\$(LinkUninstall).lnk" "$INSTDIR\uninstall.exe"

  ; .gpkg → "Open with" gridmap (per-user classes; not the default program)
  WriteRegStr HKCU "${CLASSES}\${PROGID}" "" "$(FileTypeName)"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\DefaultIcon" "" "$INSTDIR\gridmap.ico,0"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\shell\open\command" "" '"$INSTDIR\${APPEXE}" "%1"'
  WriteRegStr HKCU "${CLASSES}\.gpkg\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "${CLASSES}\Applications\${APPEXE}" "FriendlyAppName" "gridmap"
  WriteRegStr HKCU "${CLASSES}\Applications\${APPEXE}\SupportedTypes" ".gpkg" ""
  WriteRegStr HKCU "${CLASSES}\Applications\${APPEXE}\shell\open\command" "" '"$INSTDIR\${APPEXE}" "%1"'
  ; tell Explorer the associations changed (SHCNE_ASSOCCHANGED)
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Settings → Apps
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "gridmap ${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "gridmap"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\gridmap.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; remove only a folder that is gridmap's (the user may have chosen an existing folder)
  IfFileExists "$INSTDIR\${APPEXE}" +3 0
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(NotOurFolder)" /SD IDOK
    Goto keys
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\gridmap.exe"
  Delete "$INSTDIR\${APPEXE}"
  Delete "$INSTDIR\gridmap.ico"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\DATA-ATTRIBUTION.md"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  keys:
  RMDir /r "$SMPROGRAMS\gridmap"
  DeleteRegKey HKCU "${CLASSES}\${PROGID}"
  DeleteRegValue HKCU "${CLASSES}\.gpkg\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.gpkg\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.gpkg"
  DeleteRegKey HKCU "${CLASSES}\Applications\${APPEXE}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegValue HKCU "Software\gridmap" "InstallDir"
  DeleteRegKey /ifempty HKCU "Software\gridmap"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
