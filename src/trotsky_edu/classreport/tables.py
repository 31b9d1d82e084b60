"""The class report's tables, computed from the students' progress records and the question banks.

Every figure here is a count of students, each student counted once per question, so a
teacher can check any cell against the files: "answered" means at least one submit,
"right first try" that the first submit was right, "right in the end" that some submit was,
"hints" that any hint was seen, "answers shown" that Show answer was pressed. A student has
*met* an objective when every graded exercise of it (source analyses are not graded) was
answered right without the answer shown.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from statistics import median

import pandas as pd

from trotsky_edu.exercises.bank import Bank, Estimate, MultipleChoice, Question, ShortText, SingleChoice, SourceAnalysis
from trotsky_edu.exercises.checks import format_number
from trotsky_edu.classreport.inputs import StudentWork

MANY_TRIES = 3  # a question that took this many attempts (or more) is a sign of trouble


def first_submit(record: dict) -> dict | None:
    """The first submit event of a record, or None (none yet, or a file that kept no events)."""
    return next((e for e in record.get("events", []) if e.get("action") == "submit"), None)


def right_first_try(record: dict) -> bool:
    """Was the first submit right? Files without events tell it from one attempt that was right."""
    first = first_submit(record)
    if first is not None:
        return first.get("correct") is True
    return record.get("attempts") == 1 and record.get("correct") is True


def answer_text(question: Question, answer: object) -> str:
    """An answer as a teacher reads it: option text, "a; b", a number, or the typed words."""
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    if isinstance(question, Estimate) and isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return format_number(answer)
    return str(answer).strip() if answer is not None else ""


def _minutes(records: list[dict]) -> float | None:
    """Minutes from a student's first event in a lesson to their last."""
    try:
        start = min(datetime.fromisoformat(r.get("first_time") or r["time"]) for r in records)
        end = max(datetime.fromisoformat(r["time"]) for r in records)
    except (KeyError, ValueError, TypeError):
        return None
    return (end - start).total_seconds() / 60


def lesson_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """Per lesson: students who opened it (answered or tried anything), who finished it, median minutes."""
    rows = []
    for lesson, bank in banks.items():
        opened = [s.answers[lesson] for s in students if s.answers.get(lesson)]
        finished = [a for a in opened if all(a.get(qid, {}).get("attempts", 0) > 0 for qid in bank.ids())]
        minutes = [m for m in (_minutes(list(a.values())) for a in opened) if m is not None]
        rows.append({
            "lesson": lesson, "questions": len(bank), "opened": len(opened), "finished": len(finished),
            "median_minutes": round(median(minutes), 1) if minutes else None,
        })
    return pd.DataFrame(rows, columns=["lesson", "questions", "opened", "finished", "median_minutes"])


def question_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """Per question: answered, right first try, right in the end, hints, answers shown, the commonest wrong first answer."""
    rows = []
    for lesson, bank in banks.items():
        for question in bank:
            records = [s.answers[lesson][question.id] for s in students if question.id in s.answers.get(lesson, {})]
            answered = [r for r in records if r.get("attempts", 0) > 0]
            graded = not isinstance(question, SourceAnalysis)
            wrong, misconception = _commonest_wrong(question, answered)
            rows.append({
                "lesson": lesson, "question_id": question.id, "type": question.type, "kind": question.kind,
                "objective": question.objective, "answered": len(answered),
                "right_first_try": sum(right_first_try(r) for r in answered) if graded else None,
                "right_in_end": sum(r.get("correct") is True for r in answered) if graded else None,
                "used_hints": sum(r.get("hints_used", 0) > 0 for r in records),
                "answers_shown": sum(bool(r.get("revealed")) for r in records),
                "commonest_wrong": wrong, "misconception": misconception,
            })
    # Counts stay whole numbers where source analyses (not graded) have none.
    return pd.DataFrame(rows).astype({"right_first_try": "Int64", "right_in_end": "Int64"})


def _commonest_wrong(question: Question, records: list[dict]) -> tuple[str | None, str | None]:
    """The wrong first answer chosen most often, and the feedback that names its misconception."""
    counts: Counter[str] = Counter()
    for record in records:
        first = first_submit(record)
        if first is None or first.get("correct") is not False:
            continue
        if isinstance(question, MultipleChoice):
            right = {o.text for o in question.options if o.correct}
            counts.update(text for text in first.get("answer") or [] if text not in right)
        elif isinstance(question, (SingleChoice, ShortText, Estimate)):
            counts[answer_text(question, first.get("answer"))] += 1
    if not counts:
        return None, None
    text = counts.most_common(1)[0][0]
    feedback = next((o.feedback for o in getattr(question, "options", ()) if o.text == text), None)
    return text, feedback


def _first_answers(students: list[StudentWork], banks: dict[str, Bank], kinds: tuple[type, ...]):
    """Each question of ``kinds``, with the first submits of the students who answered it."""
    for lesson, bank in banks.items():
        for question in bank:
            if isinstance(question, kinds):
                records = (student.answers.get(lesson, {}).get(question.id, {}) for student in students)
                yield lesson, question, [first for first in map(first_submit, records) if first is not None]


def option_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """For every choice question, how many students chose each option on their first try."""
    rows = []
    for lesson, question, firsts in _first_answers(students, banks, (SingleChoice, MultipleChoice)):
        counts: Counter[str] = Counter()
        for first in firsts:
            chosen = first.get("answer")
            counts.update(chosen if isinstance(chosen, list) else [chosen])
        rows += [{"lesson": lesson, "question_id": question.id, "option": o.text, "correct": o.correct,
                  "chosen_first_try": counts[o.text]} for o in question.options]
    return pd.DataFrame(rows, columns=["lesson", "question_id", "option", "correct", "chosen_first_try"])


def typed_answer_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """For short-text and estimate questions, each distinct first answer with the number of students who gave it."""
    rows = []
    for lesson, question, firsts in _first_answers(students, banks, (ShortText, Estimate)):
        counts = Counter((answer_text(question, first.get("answer")), first.get("correct") is True) for first in firsts)
        rows += [{"lesson": lesson, "question_id": question.id, "answer": text, "right": right, "students": n}
                 for (text, right), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))]
    return pd.DataFrame(rows, columns=["lesson", "question_id", "answer", "right", "students"])


def writing_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """Every student's written source analysis, with the rubric points they ticked for themselves."""
    rows = []
    for lesson, bank in banks.items():
        for question in bank:
            if not isinstance(question, SourceAnalysis):
                continue
            for student in students:
                record = student.answers.get(lesson, {}).get(question.id)
                if not record:
                    continue
                text = record.get("response") or _last_written(record)
                ticked = [n for n in record.get("rubric_met", []) if isinstance(n, int) and 0 <= n < len(question.rubric)]
                rows.append({
                    "lesson": lesson, "question_id": question.id, "student": student.student, "text": text,
                    "compared": record.get("attempts", 0) > 0, "assessed": "rubric_met" in record,
                    "points": len(ticked), "of": len(question.rubric),
                    "points_made": [question.rubric[n] for n in ticked],
                })
    return pd.DataFrame(rows, columns=["lesson", "question_id", "student", "text", "compared", "assessed", "points",
                                       "of", "points_made"])


def _last_written(record: dict) -> str:
    texts = [e.get("answer") for e in record.get("events", []) if e.get("action") in ("submit", "write")]
    return next((t for t in reversed(texts) if isinstance(t, str)), "")


def objective_table(students: list[StudentWork], banks: dict[str, Bank],
                    objective_texts: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Per objective: the share of students (of those who opened its lesson) who met it, lowest first."""
    rows = []
    for lesson, bank in banks.items():
        by_objective: dict[str, list[Question]] = {}
        for question in bank:
            if question.objective and not isinstance(question, SourceAnalysis):
                by_objective.setdefault(question.objective, []).append(question)
        opened = [s.answers[lesson] for s in students if s.answers.get(lesson)]
        for objective, questions in sorted(by_objective.items()):
            met = sum(
                all(a.get(q.id, {}).get("correct") is True and not a.get(q.id, {}).get("revealed") for q in questions)
                for a in opened
            )
            rows.append({
                "lesson": lesson, "objective": objective, "text": objective_texts.get((lesson, objective), ""),
                "exercises": ", ".join(q.id for q in questions), "students": len(opened), "met": met,
                "share": round(met / len(opened), 3) if opened else None,
            })
    table = pd.DataFrame(rows, columns=["lesson", "objective", "text", "exercises", "students", "met", "share"])
    return table.sort_values(["share", "lesson", "objective"], na_position="last", kind="stable").reset_index(drop=True)


def help_table(students: list[StudentWork], banks: dict[str, Bank]) -> pd.DataFrame:
    """Students who may need help, with the reasons: many tries, answers shown, lessons started and not finished."""
    rows = []
    for student in students:
        records = [r for lesson in banks for r in student.answers.get(lesson, {}).values()]
        many = sum(r.get("attempts", 0) >= MANY_TRIES for r in records)
        shown = sum(bool(r.get("revealed")) for r in records)
        unfinished = [
            lesson for lesson, bank in banks.items()
            if student.answers.get(lesson) and not all(student.answers[lesson].get(q, {}).get("attempts", 0) > 0
                                                       for q in bank.ids())
        ]
        reasons = []
        if many:
            reasons.append(f"{many} question(s) took {MANY_TRIES} or more tries")
        if shown:
            reasons.append(f"{shown} answer(s) shown")
        if unfinished:
            reasons.append(f"started and not finished: {', '.join(unfinished)}")
        if reasons:
            rows.append({"student": student.student, "many_tries": many, "answers_shown": shown,
                         "unfinished": len(unfinished), "reasons": "; ".join(reasons)})
    table = pd.DataFrame(rows, columns=["student", "many_tries", "answers_shown", "unfinished", "reasons"])
    weight = table["many_tries"] + table["answers_shown"] + table["unfinished"]
    return table.assign(_w=weight).sort_values(["_w", "student"], ascending=[False, True]).drop(columns="_w").reset_index(drop=True)

