//! The wording of desktop notifications in the user's language (English,
//! Italian, Slovenian, Slovak, Czech; English for any other).

use deskmate_api::{NotifyKind, TicketStatus};

/// A language notifications are worded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    It,
    Sl,
    Sk,
    Cs,
}

impl Lang {
    /// The language of a BCP 47 tag or a POSIX locale ("sl", "it-IT",
    /// "cs_CZ.UTF-8"); English when none of the five.
    pub(crate) fn of(tag: &str) -> Self {
        let primary = tag
            .split(['-', '_', '.'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "it" => Self::It,
            "sl" => Self::Sl,
            "sk" => Self::Sk,
            "cs" => Self::Cs,
            _ => Self::En,
        }
    }

    /// `[en, it, sl, sk, cs]` picked by this language.
    fn pick(self, words: [&'static str; 5]) -> &'static str {
        words[self as usize]
    }

    /// What a notification of `kind` is titled before its ticket.
    pub(crate) fn label(
        self,
        kind: NotifyKind,
        status: Option<TicketStatus>,
        maintenance: bool,
    ) -> &'static str {
        match (kind, status) {
            (NotifyKind::Reply, _) => self.pick([
                "New reply",
                "Nuova risposta",
                "Nov odgovor",
                "Nová odpoveď",
                "Nová odpověď",
            ]),
            (NotifyKind::Status, Some(TicketStatus::WaitingForCustomer)) => self.pick([
                "Waiting for you",
                "In attesa di te",
                "Čaka na vas",
                "Čaká na vás",
                "Čeká na vás",
            ]),
            (NotifyKind::Status, Some(TicketStatus::Resolved)) => {
                self.pick(["Resolved", "Risolto", "Rešeno", "Vyriešené", "Vyřešeno"])
            }
            (NotifyKind::Status, _) => {
                self.pick(["Closed", "Chiuso", "Zaprto", "Uzavreté", "Uzavřeno"])
            }
            (NotifyKind::RemoteSession, _) => self.pick([
                "Remote assistance requested",
                "Richiesta di assistenza remota",
                "Zahteva za oddaljeno pomoč",
                "Žiadosť o vzdialenú pomoc",
                "Žádost o vzdálenou pomoc",
            ]),
            (NotifyKind::Expedite, _) => self.pick([
                "Expedited response accepted",
                "Risposta prioritaria accettata",
                "Pospešen odziv sprejet",
                "Zrýchlená odpoveď prijatá",
                "Zrychlená odpověď přijata",
            ]),
            (NotifyKind::Announcement, _) if maintenance => self.pick([
                "Planned maintenance",
                "Manutenzione programmata",
                "Načrtovano vzdrževanje",
                "Plánovaná údržba",
                "Plánovaná údržba",
            ]),
            (NotifyKind::Announcement, _) => self.pick([
                "Announcement",
                "Avviso",
                "Obvestilo",
                "Oznámenie",
                "Oznámení",
            ]),
            (NotifyKind::OrderDelay, _) => self.pick([
                "Information needed for an order",
                "Servono informazioni su un ordine",
                "Potrebni so podatki o naročilu",
                "Potrebné informácie k objednávke",
                "Potřebné informace k objednávce",
            ]),
        }
    }

    /// The body of a status change, which has no text of its own.
    pub(crate) fn status_body(self, status: Option<TicketStatus>) -> &'static str {
        match status {
            Some(TicketStatus::WaitingForCustomer) => self.pick([
                "The provider needs your answer.",
                "Il fornitore attende una tua risposta.",
                "Ponudnik čaka na vaš odgovor.",
                "Poskytovateľ čaká na vašu odpoveď.",
                "Poskytovatel čeká na vaši odpověď.",
            ]),
            Some(TicketStatus::Resolved) => self.pick([
                "The provider considers it solved. You can still reply.",
                "Il fornitore lo considera risolto. Puoi ancora rispondere.",
                "Ponudnik meni, da je rešeno. Še vedno lahko odgovorite.",
                "Poskytovateľ ho považuje za vyriešený. Stále môžete odpovedať.",
                "Poskytovatel jej považuje za vyřešený. Stále můžete odpovědět.",
            ]),
            _ => self.pick([
                "The ticket is closed. You can reopen it with new details.",
                "Il ticket è chiuso. Puoi riaprirlo con nuovi dettagli.",
                "Zahtevek je zaprt. Lahko ga ponovno odprete z novimi podrobnostmi.",
                "Tiket je uzavretý. Môžete ho znovu otvoriť s novými podrobnosťami.",
                "Tiket je uzavřen. Můžete jej znovu otevřít s novými podrobnostmi.",
            ]),
        }
    }

    pub(crate) fn expedite_body(self) -> &'static str {
        self.pick([
            "Your ticket now comes before standard-response tickets.",
            "Il tuo ticket ora precede quelli a risposta standard.",
            "Vaš zahtevek je zdaj pred zahtevki s standardnim odzivom.",
            "Váš tiket je teraz pred tiketmi so štandardnou odpoveďou.",
            "Váš tiket je nyní před tikety se standardní odpovědí.",
        ])
    }

    /// "Order" before an order number.
    pub(crate) fn order(self) -> &'static str {
        self.pick(["Order", "Ordine", "Naročilo", "Objednávka", "Objednávka"])
    }

    /// The summary's title before how many waited.
    pub(crate) fn summary_title(self) -> &'static str {
        self.pick([
            "Notifications that waited",
            "Notifiche in attesa",
            "Obvestila, ki so čakala",
            "Upozornenia, ktoré čakali",
            "Oznámení, která čekala",
        ])
    }

    /// A kind, counted, in the summary's body.
    pub(crate) fn counted(self, kind: NotifyKind) -> &'static str {
        match kind {
            NotifyKind::Reply => {
                self.pick(["Replies", "Risposte", "Odgovori", "Odpovede", "Odpovědi"])
            }
            NotifyKind::Status => self.pick([
                "Status changes",
                "Cambi di stato",
                "Spremembe stanja",
                "Zmeny stavu",
                "Změny stavu",
            ]),
            NotifyKind::RemoteSession => self.pick([
                "Remote assistance requests",
                "Richieste di assistenza remota",
                "Zahteve za oddaljeno pomoč",
                "Žiadosti o vzdialenú pomoc",
                "Žádosti o vzdálenou pomoc",
            ]),
            NotifyKind::Expedite => self.pick([
                "Expedited responses",
                "Risposte prioritarie",
                "Pospešeni odzivi",
                "Zrýchlené odpovede",
                "Zrychlené odpovědi",
            ]),
            NotifyKind::Announcement => self.pick([
                "Announcements",
                "Avvisi",
                "Obvestila",
                "Oznámenia",
                "Oznámení",
            ]),
            NotifyKind::OrderDelay => self.pick([
                "Order information requests",
                "Richieste di informazioni sugli ordini",
                "Zahteve za podatke o naročilih",
                "Žiadosti o informácie k objednávkam",
                "Žádosti o informace k objednávkám",
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_tags_and_locales() {
        assert_eq!(Lang::of("sl"), Lang::Sl);
        assert_eq!(Lang::of("it-IT"), Lang::It);
        assert_eq!(Lang::of("cs_CZ.UTF-8"), Lang::Cs);
        assert_eq!(Lang::of("SK"), Lang::Sk);
        assert_eq!(Lang::of("de-DE"), Lang::En);
        assert_eq!(Lang::of(""), Lang::En);
        assert_eq!(
            Lang::Sk.label(NotifyKind::Reply, None, false),
            "Nová odpoveď"
        );
    }
}

/// The tray's words in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayWords {
    pub report: &'static str,
    /// Captures the screen into the new-ticket form.
    pub report_screenshot: &'static str,
    pub pause: &'static str,
    pub pause_hour: &'static str,
    pub pause_tomorrow: &'static str,
    pub resume: &'static str,
    pub open: &'static str,
    pub quit: &'static str,
    /// Ready for remote help now, for an hour.
    pub ready_now: &'static str,
    pub unread: &'static str,
    pub offline: &'static str,
    pub notice: &'static str,
    /// The one-time explanation when closing the window left the app in the tray.
    pub kept_title: &'static str,
    pub kept_body: &'static str,
}

impl Lang {
    pub(crate) fn tray(self) -> TrayWords {
        TrayWords {
            report: self.pick([
                "Report a problem",
                "Segnala un problema",
                "Prijavi težavo",
                "Nahlásiť problém",
                "Nahlásit problém",
            ]),
            report_screenshot: self.pick([
                "Report a problem with a screenshot",
                "Segnala un problema con uno screenshot",
                "Prijavi težavo z zaslonsko sliko",
                "Nahlásiť problém so snímkou obrazovky",
                "Nahlásit problém se snímkem obrazovky",
            ]),
            pause: self.pick([
                "Pause notifications",
                "Sospendi le notifiche",
                "Začasno ustavi obvestila",
                "Pozastaviť upozornenia",
                "Pozastavit oznámení",
            ]),
            pause_hour: self.pick([
                "For 1 hour",
                "Per 1 ora",
                "Za 1 uro",
                "Na 1 hodinu",
                "Na 1 hodinu",
            ]),
            pause_tomorrow: self.pick([
                "Until tomorrow",
                "Fino a domani",
                "Do jutri",
                "Do zajtra",
                "Do zítřka",
            ]),
            resume: self.pick(["Resume", "Riprendi", "Nadaljuj", "Obnoviť", "Obnovit"]),
            open: self.pick([
                "Open Deskmate",
                "Apri Deskmate",
                "Odpri Deskmate",
                "Otvoriť Deskmate",
                "Otevřít Deskmate",
            ]),
            quit: self.pick(["Quit", "Esci", "Izhod", "Ukončiť", "Ukončit"]),
            ready_now: self.pick([
                "Ready for remote help now (1 h)",
                "Pronto per l'assistenza remota ora (1 h)",
                "Pripravljen za oddaljeno pomoč zdaj (1 h)",
                "Pripravený na vzdialenú pomoc teraz (1 h)",
                "Připraven na vzdálenou pomoc teď (1 h)",
            ]),
            unread: self.pick([
                "unread",
                "non letti",
                "neprebrani",
                "neprečítané",
                "nepřečtené",
            ]),
            offline: self.pick([
                "offline",
                "non in linea",
                "brez povezave",
                "offline",
                "offline",
            ]),
            notice: self.pick([
                "incident or maintenance under way",
                "disservizio o manutenzione in corso",
                "motnja ali vzdrževanje v teku",
                "prebieha porucha alebo údržba",
                "probíhá porucha nebo údržba",
            ]),
            kept_title: self.pick([
                "Deskmate is still running",
                "Deskmate è ancora attivo",
                "Deskmate še vedno deluje",
                "Deskmate stále beží",
                "Deskmate stále běží",
            ]),
            kept_body: self.pick([
                "It stays in the tray to tell you about replies. Quit from the tray menu; Settings can make closing the window quit.",
                "Resta nell'area di notifica per avvisarti delle risposte. Esci dal menu dell'icona; nelle Impostazioni puoi far sì che chiudere la finestra lo chiuda.",
                "Ostane v sistemski vrstici, da vas obvesti o odgovorih. Zaprete ga v meniju ikone; v Nastavitvah lahko zapiranje okna zapre aplikacijo.",
                "Zostáva v oblasti oznámení, aby vám oznámil odpovede. Ukončíte ho v ponuke ikony; v Nastaveniach môže zatvorenie okna aplikáciu ukončiť.",
                "Zůstává v oznamovací oblasti, aby vám oznámil odpovědi. Ukončíte ho v nabídce ikony; v Nastavení může zavření okna aplikaci ukončit.",
            ]),
        }
    }
}
