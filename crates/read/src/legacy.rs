//! Legacy Office files (.doc, .wps: OLE compound documents) → DOCX by LibreOffice, then
//! the DOCX reader. LibreOffice is found as `soffice` or `libreoffice` on the PATH, or at
//! `NIANBAO_SOFFICE`; without it the document fails with a hint. Each conversion runs in
//! a temporary folder with a profile of its own (so conversions can run side by side)
//! and is killed after [`CONVERSION_TIMEOUT`].

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::document::{Document, Format};
use crate::docx::read_docx;
use crate::ReadError;

/// Longest a conversion may take; a file that hangs LibreOffice is failed, not waited on.
pub const CONVERSION_TIMEOUT: Duration = Duration::from_secs(90);

const HINT: &str = "install LibreOffice (soffice) to read .doc/.wps, or convert the file to .docx";

/// LibreOffice's command, if this machine has it.
pub fn find_soffice() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NIANBAO_SOFFICE") {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
        .find(|candidate| candidate.is_file())
}

/// Reads a legacy Office document through LibreOffice at `soffice`, if given.
pub fn read_legacy(bytes: &[u8], soffice: Option<&Path>) -> Result<Document, ReadError> {
    let Some(soffice) = soffice else {
        return Err(ReadError::Unsupported {
            format: Format::LegacyOffice,
            hint: HINT,
        });
    };
    let dir = tempfile::tempdir()
        .map_err(|e| ReadError::Corrupt(format!("no temporary folder for the conversion: {e}")))?;
    let input = dir.path().join("document.doc");
    std::fs::write(&input, bytes)
        .map_err(|e| ReadError::Corrupt(format!("cannot write the file to convert: {e}")))?;
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let mut child = Command::new(soffice)
        .args(["--headless", "--norestore", "--nolockcheck", &profile])
        .args(["--convert-to", "docx", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ReadError::Unsupported {
            format: Format::LegacyOffice,
            hint: if e.kind() == std::io::ErrorKind::NotFound {
                HINT
            } else {
                "LibreOffice (soffice) could not be started"
            },
        })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > CONVERSION_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::LimitExceeded(format!(
                    "LibreOffice took more than {} s to convert the document",
                    CONVERSION_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(ReadError::Corrupt(format!("LibreOffice conversion: {e}"))),
        }
    }
    let converted = std::fs::read(dir.path().join("document.docx")).map_err(|_| {
        ReadError::Corrupt(
            "LibreOffice could not convert it to a Word document (damaged, or not a text document)"
                .into(),
        )
    })?;
    let mut doc = read_docx(&converted)?;
    doc.format = Format::LegacyOffice;
    doc.diagnostics
        .push("legacy Office document, converted to DOCX by LibreOffice".into());
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_libreoffice_the_reason_says_how_to_read_it() {
        let err = read_legacy(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], None).unwrap_err();
        assert!(err.to_string().contains("install LibreOffice"), "{err}");
        let err = read_legacy(b"x", Some(Path::new("/nonexistent/soffice"))).unwrap_err();
        assert!(err.to_string().contains("install LibreOffice"), "{err}");
    }
}
