//! The durations file shared by concurrent runs: no run's pages are lost
//! (read, merge and rename happen under a lock file beside it), and the
//! file keeps its mode.

mod hostile_support;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use hostile_support::{World, command, page};
use labrun::durations::Durations;

#[test]
fn concurrent_merges_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.json");
    std::fs::write(&file, "{}\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (writers, each) = (8, 25);
    let threads: Vec<_> = (0..writers)
        .map(|t| {
            let file = file.clone();
            std::thread::spawn(move || {
                for i in 0..each {
                    Durations::merge_into(&file, [(format!("w{t}/p{i}.md"), 1000 + i)]).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let d = Durations::load(&file).unwrap().unwrap();
    assert_eq!(
        d.pages.len(),
        (writers * each) as usize,
        "entries were lost"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o644
    );
    // Nothing but the file and its lock is left beside it.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["d.json", "d.json.lock"]);
}

#[test]
fn concurrent_runs_record_every_lab_and_keep_the_mode() {
    let files: Vec<(String, String)> = (0..4)
        .map(|i| {
            (
                format!("content/en/lab{i}/index.md"),
                page(&format!("Lab {i}"), "", "$ echo ran\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let w = World::new("locales: [en]\n", &refs);
    let d = w.path("d.json");
    for trial in 0..5 {
        std::fs::write(&d, "{}\n").unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o644)).unwrap();
        let children: Vec<_> = (0..4)
            .map(|i| {
                command(
                    &w.project(),
                    &["run", &format!("lab{i}"), "--record-durations", "d.json"],
                )
                .env("TMPDIR", w.dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let rec = Durations::load(&d).unwrap().unwrap();
        for i in 0..4 {
            assert!(
                rec.page_ms(&format!("lab{i}/index.md")).is_some(),
                "trial {trial}: lab{i} lost: {:?}",
                rec.pages
            );
        }
        assert_eq!(
            std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o644,
            "trial {trial}"
        );
    }
}

#[test]
fn a_durations_file_that_is_a_link_is_not_written_through() {
    let w = World::new(
        "locales: [en]\n",
        &[("content/en/lab/index.md", &page("Lab", "", "$ echo ran\n"))],
    );
    std::fs::write(w.outside().join("d.json"), "{}\n").unwrap();
    std::os::unix::fs::symlink(w.outside().join("d.json"), w.path("d.json")).unwrap();
    let before = w.outside_snapshot();
    let r = w.labrun(&["run", "lab", "--record-durations", "d.json"]);
    r.assert_clean_exit(2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(w.outside_snapshot(), before);
}
