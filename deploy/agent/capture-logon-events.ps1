<#
.SYNOPSIS
    Capture a sanitised sample of the event-log records the wardwatch agent reads to time Windows
    logons, so real captures can be added to the agent's test fixtures.

.DESCRIPTION
    Run elevated (the Security log needs it) on one workstation, a while after a few users have
    logged on. It selects exactly the logs and event ids the agent reads
    (packages/agent/src/probes/logons.ts), keeps only the EventData fields the agent's parser reads,
    and replaces every user name, machine name, domain name and account SID with a pseudonym:
    user names with the agent's own pseudonym (HMAC-SHA256 of the normalised name under the trust's
    key, as packages/agent/src/identity.ts makes it), so a capture can be matched with what the agent
    sent. Event times, logon ids, session numbers, subscriber and task names are kept: they carry the
    timings and no personal data.

    Send the output file to whoever maintains the agent. Nothing is sent anywhere by this script.
    It has not been run by the project's own tests (they run on Linux, without PowerShell).

.PARAMETER KeyFile
    The agent's pseudonymisation key file (pseudonymisation.keyFile in agent.yaml); its first line is the key.

.PARAMETER KeyEnv
    Without -KeyFile, the environment variable holding the key, as the agent's
    pseudonymisation.keyEnv. Default WARDWATCH_AGENT_KEY.

.PARAMETER Hours
    How far back to read. Default 2.

.PARAMETER OutFile
    Where to write the JSON. Default .\logon-capture.json.

.EXAMPLE
    .\capture-logon-events.ps1 -KeyFile 'C:\ProgramData\Wardwatch\pseudonym.key' -Hours 4
#>
[CmdletBinding()]
param(
    [string] $KeyFile,
    [string] $KeyEnv = 'WARDWATCH_AGENT_KEY',
    [int] $Hours = 2,
    [string] $OutFile = '.\logon-capture.json'
)
$ErrorActionPreference = 'Stop'

# The key exactly as the agent reads it (packages/agent/src/identity.ts): the file's first line, a BOM
# included if there is one, or the environment variable's whole value.
if ($KeyFile) {
    $keyText = ([Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes((Resolve-Path -LiteralPath $KeyFile).ProviderPath)) -split "`r?`n")[0]
    $keySource = $KeyFile
} else {
    $keyText = [Environment]::GetEnvironmentVariable($KeyEnv)
    $keySource = "`$$KeyEnv"
}
if (-not $keyText -or $keyText.Length -lt 16) { throw "the pseudonymisation key must be at least 16 characters (from $keySource)" }
$hmac = New-Object System.Security.Cryptography.HMACSHA256 -ArgumentList (, [Text.Encoding]::UTF8.GetBytes($keyText))

function Get-Pseudonym([string] $Name) {
    # As the agent: trim, lower case, drop a "DOMAIN\" prefix and an "@domain" suffix, then HMAC-SHA256, hex.
    $normalised = $Name.Trim().ToLowerInvariant() -replace '^.*\\', '' -replace '@.*$', ''
    ($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($normalised)) | ForEach-Object { $_.ToString('x2') }) -join ''
}

# Names Windows gives its own accounts stay: the parser uses them to skip non-user logons.
$wellKnownDomains = @('NT AUTHORITY', 'Window Manager', 'Font Driver Host', '-', '')

function Hide-Domain([string] $Domain) {
    if ($wellKnownDomains -contains $Domain) { return $Domain }
    'dom-' + (Get-Pseudonym "domain:$Domain").Substring(0, 8)
}

function Hide-Account([string] $Name, [string] $Domain) {
    if ($wellKnownDomains -contains $Domain -or $Name -eq '-' -or $Name -eq '') { return $Name }
    if ($Name.EndsWith('$')) { return 'host-' + (Get-Pseudonym "host:$($Name.TrimEnd('$'))").Substring(0, 12) + '$' }
    Get-Pseudonym $Name
}

function Hide-Sid([string] $Sid) {
    # Well-known SIDs (S-1-5-18, S-1-5-90-0-n, ...) stay; account SIDs become S-1-5-21-a-b-c-d from their HMAC.
    if (-not $Sid -or -not $Sid.StartsWith('S-1-5-21-')) { return $Sid }
    $bytes = $hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes("sid:$Sid"))
    'S-1-5-21-' + ((0..3 | ForEach-Object { [BitConverter]::ToUInt32($bytes, $_ * 4) }) -join '-')
}

# The fields the parser reads, per event id; nothing else leaves the machine.
$keep = @{
    4624  = @('TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId', 'LogonType', 'VirtualAccount', 'TargetLinkedLogonId', 'ElevatedToken')
    4688  = @('SubjectLogonId', 'TargetLogonId', 'NewProcessName')
    4647  = @('TargetLogonId')
    4634  = @('TargetLogonId', 'LogonType')
    811   = @('Event', 'SubscriberName')
    812   = @('Event', 'SubscriberName')
    1     = @('Session')
    2     = @('Session')
    4001  = @('PrincipalSamName', 'IsMachine')
    8001  = @('PrincipalSamName', 'IsMachine', 'PolicyElaspedTimeInSeconds')
    7001  = @('PrincipalSamName', 'IsMachine', 'PolicyElaspedTimeInSeconds')
    4018  = @('PrincipalSamName', 'ScriptType')
    5018  = @('PrincipalSamName', 'ScriptType', 'ScriptElaspedTimeInSeconds')
    7018  = @('PrincipalSamName', 'ScriptType', 'ScriptElaspedTimeInSeconds')
    62170 = @('LogonType', 'TaskName')
    62171 = @('LogonType', 'TaskName')
}

# The same selection as the agent's query (packages/agent/src/probes/logons.ts).
$events = Get-WinEvent -ErrorAction SilentlyContinue -FilterHashtable @{
    LogName   = 'Security', 'Microsoft-Windows-Winlogon/Operational', 'Microsoft-Windows-User Profile Service/Operational', 'Microsoft-Windows-GroupPolicy/Operational', 'Microsoft-Windows-Shell-Core/Operational'
    Id        = 4624, 4688, 4647, 4634, 811, 812, 1, 2, 4001, 8001, 7001, 4018, 5018, 7018, 62170, 62171
    StartTime = (Get-Date).AddHours(-$Hours)
}

$records = foreach ($e in $events) {
    $all = @{}
    foreach ($d in ([xml]$e.ToXml()).Event.EventData.Data) { if ($d.GetAttribute('Name')) { $all[$d.GetAttribute('Name')] = $d.InnerText } }
    # Winlogon 1/2 (AuthenticateUserStart/Stop) share ids with the profile events; they carry nothing we keep.
    $fields = if ($e.LogName -eq 'Microsoft-Windows-Winlogon/Operational' -and $e.Id -lt 800) { @() } else { $keep[$e.Id] }
    $data = [ordered]@{}
    foreach ($name in $fields) {
        if (-not $all.ContainsKey($name)) { continue }
        $value = $all[$name]
        switch ($name) {
            'TargetUserSid' { $value = Hide-Sid $value }
            'TargetUserName' { $value = Hide-Account $value $all['TargetDomainName'] }
            'TargetDomainName' { $value = Hide-Domain $value }
            'NewProcessName' { $value = Split-Path -Leaf $value }
            'PrincipalSamName' {
                $domain, $account = if ($value.Contains('\')) { $value.Split('\', 2) } else { '', $value }
                $hidden = Hide-Account $account $domain
                $value = if ($domain) { "$(Hide-Domain $domain)\$hidden" } else { $hidden }
            }
        }
        $data[$name] = $value
    }
    [pscustomobject]@{
        Id           = $e.Id
        Version      = $e.Version
        ProviderName = $e.ProviderName
        LogName      = $e.LogName
        TimeCreated  = $e.TimeCreated
        UserId       = $(if ($e.UserId) { Hide-Sid $e.UserId.Value })
        Data         = $data
    }
}

$records | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $OutFile -Encoding UTF8
Write-Host "wrote $(@($records).Count) records to $OutFile"
# What to check before sending: the subscriber and task names this machine logs (software names only).
$records | Where-Object { $_.Data.Contains('SubscriberName') } | ForEach-Object { $_.Data['SubscriberName'] } | Sort-Object -Unique |
    ForEach-Object { Write-Host "  Winlogon subscriber: $_" }
$records | Where-Object { $_.Data.Contains('TaskName') } | ForEach-Object { $_.Data['TaskName'] } | Sort-Object -Unique |
    ForEach-Object { Write-Host "  logon task: $_" }
