-- 001: the newspaper: sections, people, articles, tags, weather, settings.
-- Times are UTC epoch seconds.  Text is UTF-8 NFC.

CREATE TABLE section (
	id       INTEGER PRIMARY KEY,
	slug     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE person (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role          TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'admin', 'contributor')),
	password_hash TEXT,
	active        INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL
);

CREATE TABLE article (
	id             INTEGER PRIMARY KEY,
	section_id     INTEGER NOT NULL REFERENCES section(id),
	status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'scheduled', 'published', 'unpublished')),
	kind           TEXT NOT NULL DEFAULT 'own' CHECK (kind IN ('own', 'press-release', 'contribution', 'advertorial')),
	headline       TEXT NOT NULL,
	subtitle1      TEXT NOT NULL DEFAULT '',
	subtitle2      TEXT NOT NULL DEFAULT '',
	subtitle3      TEXT NOT NULL DEFAULT '',
	summary        TEXT NOT NULL DEFAULT '',
	body           TEXT NOT NULL DEFAULT '',
	body_source    TEXT,
	slug           TEXT NOT NULL DEFAULT '',
	author_id      INTEGER REFERENCES person(id),
	display_byline TEXT NOT NULL DEFAULT '',
	source_note    TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	approved_at    INTEGER,
	published_at   INTEGER,
	scheduled_at   INTEGER,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX article_status_pub ON article(status, published_at DESC, id DESC);
CREATE INDEX article_section_pub ON article(section_id, status, published_at DESC, id DESC);

-- Everyone named in the byline, in order; position 0 is the author.
CREATE TABLE article_byline (
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	person_id  INTEGER NOT NULL REFERENCES person(id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (article_id, person_id)
) WITHOUT ROWID;
CREATE INDEX article_byline_person ON article_byline(person_id, article_id);

CREATE TABLE tag (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tag (
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	tag_id     INTEGER NOT NULL REFERENCES tag(id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tag_tag ON article_tag(tag_id, article_id);

CREATE TABLE weather_obs (
	station_id  INTEGER NOT NULL,
	observed_at INTEGER NOT NULL,
	condition   TEXT NOT NULL DEFAULT '',
	temperature REAL,
	humidity    REAL,
	wind_speed  REAL,
	wind_dir    INTEGER,
	stored_at   INTEGER NOT NULL,
	PRIMARY KEY (station_id, observed_at)
) WITHOUT ROWID;

CREATE TABLE setting (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- What a new paper starts with; the demo and the newsroom change them.
INSERT INTO setting (key, value) VALUES
	('site_name', '신문'),
	('site_url', ''),
	('site_description', ''),
	('registration_no', ''),
	('registration_date', ''),
	('publisher', ''),
	('editor', ''),
	('youth_protection_officer', ''),
	('address', ''),
	('phone', ''),
	('email', ''),
	('copyright_holder', ''),
	('weather.stations', '101:춘천 108:서울 112:인천 114:원주 119:수원 131:청주 133:대전 136:안동 138:포항 140:군산 143:대구 146:전주 152:울산 155:창원 156:광주 159:부산 165:목포 168:여수 184:제주 232:천안 283:경주시');
