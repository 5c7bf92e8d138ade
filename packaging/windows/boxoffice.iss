; Inno Setup script: the Windows installer around the PyInstaller folder dist\boxoffice.
; Built on GitHub's hosted Windows runner (.github/workflows/installers.yml), not on the project's Linux machine:
;   iscc /DAppVersion=0.1.0 packaging\windows\boxoffice.iss      -> dist\boxoffice-0.1.0-setup.exe
; Start menu entry, optional desktop icon, uninstaller (Settings > Apps); the user's data and logs stay.
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\boxoffice.iss
#endif

[Setup]
AppId={{5B0F7C3E-2D4A-4E8B-9C61-7A1F3B2E9D40}
AppName=boxoffice
AppVersion={#AppVersion}
AppPublisher=boxoffice maintainers
DefaultDirName={autopf}\boxoffice
DefaultGroupName=boxoffice
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=boxoffice-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\boxoffice.ico
UninstallDisplayIcon={app}\boxoffice.exe
UninstallDisplayName=boxoffice {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "it"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\boxoffice\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\boxoffice"; Filename: "{app}\boxoffice.exe"
Name: "{group}\{cm:UninstallProgram,boxoffice}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\boxoffice"; Filename: "{app}\boxoffice.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\boxoffice.exe"; Description: "{cm:LaunchProgram,boxoffice}"; Flags: nowait postinstall skipifsilent
