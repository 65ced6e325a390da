from fonte.textpt import analyze, content_stems, fold


def test_fold_strips_accents_and_case() -> None:
    assert fold("Ação ÓTIMA") == "acao otima"


def test_european_and_brazilian_spellings_meet() -> None:
    pairs = [
        ("actualizar o ficheiro", "atualizar o arquivo"),
        ("a acção óptima", "a ação ótima"),
        ("o utilizador", "o usuário"),
        ("a direcção do projecto", "a direção do projeto"),
    ]
    for pt_pt, pt_br in pairs:
        assert analyze(pt_pt) == analyze(pt_br), (pt_pt, pt_br)


def test_stopwords_dropped_numbers_kept() -> None:
    assert analyze("o que é a versão 2024 de um sistema") == ["versa", "2024", "sistem"]


def test_content_stems_ignore_single_letters() -> None:
    assert "x" not in content_stems("Big Data x Small Data")
