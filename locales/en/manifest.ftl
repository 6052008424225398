# Manifests shown by ::yaml (file and path resolution), shared by check and render.

manifest-file-empty = `file` is empty; name a YAML file relative to the project root
manifest-file-absolute = `{ $file }` is an absolute path; give the file relative to the project root
manifest-file-escapes = `{ $file }` points outside the project; name a file inside it
manifest-file-not-found = no file `{ $file }` in the project
manifest-file-io = cannot read `{ $file }`: { $detail }
manifest-file-not-utf8 = `{ $file }` is not valid UTF-8; save it as UTF-8
manifest-file-invalid-yaml = `{ $file }` is not valid YAML (line { $line }, column { $col }): { $detail }

manifest-path-empty-segment = path `{ $path }` has an empty segment; separate keys with single dots
manifest-path-document-out-of-range = path `{ $path }`: there is no document { $segment }; the file has { $count ->
        [one] one document (index 0)
       *[other] { $count } documents, counted from 0
    }
manifest-path-not-found = path `{ $path }`: no key `{ $segment }` { $depth ->
        [0] at the top of the document
       *[other] under `{ $parent }`
    }
manifest-path-not-found-suggest = path `{ $path }`: no key `{ $segment }` { $depth ->
        [0] at the top of the document
       *[other] under `{ $parent }`
    }; did you mean `{ $suggestion }`?
manifest-path-index-out-of-range = path `{ $path }`: index { $segment } is out of range; the sequence { $depth ->
        [0] at the top of the document
       *[other] at `{ $parent }`
    } has { $len ->
        [one] one item (index 0)
       *[other] { $len } items
    }
manifest-path-not-a-mapping = path `{ $path }`: { $depth ->
        [0] the document
       *[other] `{ $parent }`
    } is not a mapping, so it has no key `{ $segment }`
manifest-path-not-a-sequence = path `{ $path }`: { $depth ->
        [0] the document
       *[other] `{ $parent }`
    } is a single value, so it has no item { $segment }
